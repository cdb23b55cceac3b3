# utils-scratch: an image with nothing but the utilities extract-utils
# copied out of the conlink image (utils-compose.yaml): no shell, no libc.
#   docker build -t conlink-utils-scratch -f examples/utils-scratch.Dockerfile examples/utils
FROM scratch
COPY . /utils/
CMD ["/utils/echo", "nothing here but /utils"]
