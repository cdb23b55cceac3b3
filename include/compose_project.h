/* compose_project.h - the compose project name as docker-compose 1.29 finds
 * it (compose/cli/command.py get_project_name), to look a service's
 * containers up by their com.docker.compose.project label. */
#ifndef CONLINK_COMPOSE_PROJECT_H
#define CONLINK_COMPOSE_PROJECT_H

#include <stdbool.h>

/* NAME as compose spells a project: lowercase, every character but
 * [-_a-z0-9] dropped (1.29's rule for -p, COMPOSE_PROJECT_NAME and the
 * directory name alike); with TRIM_LEADING also leading '-' and '_' (compose
 * v2, compose-go NormalizeProjectName). Returns a malloc'd string, possibly
 * empty. */
char *compose_project_normalize(const char *name, bool trim_leading);

/* The project directory as docker-compose finds it: that of the first file
 * in COMPOSE_FILE (split on COMPOSE_PATH_SEPARATOR, default ':'), else the
 * nearest of the current directory and its parents holding a compose file,
 * else the current directory. *DIR gets a malloc'd path; fails only when
 * the current directory is unknown. */
int compose_project_dir(char **dir);

/* The project: OPT (the -p option) when given, else COMPOSE_PROJECT_NAME
 * (the environment, then the project directory's .env), else the project
 * directory's name, normalized ("default" when nothing is left). NAMES gets
 * up to two malloc'd spellings, 1.29's and then v2's where it differs
 * (names[1] NULL otherwise). Returns how many (1 or 2), or -errno. */
int compose_project_names(const char *opt, char *names[2]);

#endif
