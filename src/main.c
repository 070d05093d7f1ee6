/*
 * main.c - rollcall: an attendance desk.  The command line (and, with no
 * command, the TUI) lives behind cli_main().
 *
 * No setlocale() here: the command line needs no locale (text.c measures
 * and folds text in a C.UTF-8 ctype of its own, collation is ICU's by
 * tag, numbers must print with a '.' whatever the user's locale), and
 * loading one was a cost of every query.  The TUI sets the user's locale
 * itself, for curses' wide characters (tui_open).  So strerror() text on
 * the command line is in English.
 */
#include "cli.h"

int
main(int argc, char **argv)
{
	return cli_main(argc, argv);
}
