/*
 * main.c - rollcall: an attendance desk.  The command line (and, with no
 * command, the TUI) lives behind cli_main().
 */
#include <locale.h>

#include "cli.h"

int
main(int argc, char **argv)
{
	setlocale(LC_ALL, "");
	return cli_main(argc, argv);
}
