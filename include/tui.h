/*
 * tui.h - the ncurses attendance desk (SPEC section 4).
 */
#ifndef ROLLCALL_TUI_H
#define ROLLCALL_TUI_H

#include "db.h"

/*
 * Run the desk on an open database until the user quits; returns an exit
 * status.  quiet: no beep or flash on a refused check-in (--quiet).
 */
int tui_run(rc_db *db, int quiet);

/*
 * Run the kiosk (SPEC 8) on an open database whose admin PIN is set,
 * until someone with the PIN quits it; returns an exit status.  quiet:
 * no beep or flash for an unknown code, a repeat or a wrong PIN.
 */
int kiosk_run(rc_db *db, int quiet);

#endif
