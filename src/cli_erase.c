/*
 * cli_erase.c - `rollcall erase STUDENT --yes` (SPEC 7): the command line
 * side of command_erase().
 */
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "command.h"

int
cli_erase(struct cli *c)
{
	struct cli_field f[] = {
		{ "student", CF_STR, c->pos[0], 0 },
		{ "result", CF_STR, "erased", 0 },
	};
	char *shown;
	int rc;

	if ((rc = command_erase(c->db, c->pos[0])) != RC_OK)
		return cli_fail(c, rc);
	if (c->fmt != FMT_TABLE) {
		cli_record(c->fmt, f, 2);
		return RC_OK;
	}
	shown = cli_escape(c->pos[0]);
	printf("erased the personal data of %s\n", shown);
	free(shown);
	return RC_OK;
}
