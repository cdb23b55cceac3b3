/* container_commands.c - a container's configured commands, started once
 * its links are made, their ends logged (see container_commands.h). */
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "container_commands.h"
#include "err.h"
#include "log.h"

/* One per running command, until its end is logged. Kept in a list so the
 * tags of commands still running when the daemon stops (whose DONE the
 * sources never call then) are freed too. */
struct command_tag {
	struct command_tag *prev, *next;
	char name[1];	/* the container name, for the exit status line */
};

static struct command_tag *running;

static void tag_unlink(struct command_tag *t)
{
	if (t->prev)
		t->prev->next = t->next;
	else
		running = t->next;
	if (t->next)
		t->next->prev = t->prev;
}

static void command_done(void *arg, int status)
{
	struct command_tag *t = arg;

	if (status < 0)
		log_error("%s: command could not run", t->name);
	else if (WIFEXITED(status) && WEXITSTATUS(status))
		log_warn("%s: command exited with status %d", t->name,
			 WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		log_warn("%s: command killed by signal %d", t->name, WTERMSIG(status));
	tag_unlink(t);
	free(t);
}

void container_commands_free(void)
{
	while (running) {
		struct command_tag *t = running;

		tag_unlink(t);
		free(t);
	}
}

void container_run_commands(const struct container *c, const json_t *cmds)
{
	json_t *cmd;
	size_t i;

	json_array_foreach(cmds, i, cmd) {
		const json_t *argv = json_object_get(cmd, "command");
		struct command_tag *t = malloc(sizeof(*t) + strlen(c->name));
		char *text = json_dumps(argv ? argv : cmd, JSON_ENCODE_ANY | JSON_COMPACT);

		log_info("Exec command in %s: %s", c->name, text ? text : "?");
		free(text);
		if (!t || !c->src || !c->src->run_command) {
			log_error("%s: cannot run commands here", c->name);
			free(t);
			continue;
		}
		strcpy(t->name, c->name);
		t->prev = NULL;
		t->next = running;
		if (running)
			running->prev = t;
		running = t;
		if (c->src->run_command(c->src, c, argv ? argv : cmd, command_done, t) < 0) {
			log_error("%s", err_msg());
			tag_unlink(t);
			free(t);
		}
	}
}
