/* compose_project.h - the compose project name as docker-compose 1.29 finds
 * it (compose/cli/command.py get_project_name), to look a service's
 * containers up by their com.docker.compose.project label. */
#ifndef CONLINK_COMPOSE_PROJECT_H
#define CONLINK_COMPOSE_PROJECT_H

#include <stdbool.h>

/* The project: OPT (the -p option) when given, else COMPOSE_PROJECT_NAME
 * (the environment, then the project directory's .env), else the project
 * directory's name, normalized ("default" when nothing is left). NAMES gets
 * up to two malloc'd spellings, 1.29's and then v2's where it differs
 * (names[1] NULL otherwise). Returns how many (1 or 2), or -errno. */
int compose_project_names(const char *opt, char *names[2]);

#endif
