#!/bin/sh
echo "{{GREETING}}"
