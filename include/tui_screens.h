/*
 * tui_screens.h - TUI-internal: the desk's screens, one row each, in the
 * order of the header's tabs.  A row names the screen's table of
 * functions (struct tui_screen in tui_app.h, defined in the screen's
 * own src/tui_*.c), its function key's number and the name its key has
 * in help.  The frame (tui.c) iterates this list and knows no screen by
 * name: a new screen is one new file and one row here.  The first row
 * is the screen the desk opens on.  F1 (help) and F10 (quit) are taken.
 */
#ifndef ROLLCALL_TUI_SCREENS_H
#define ROLLCALL_TUI_SCREENS_H

#define TUI_SCREENS(X) \
	X(checkin_screen, 2, "Check-in screen") \
	X(roster_screen, 3, "Roster screen") \
	X(student_screen, 4, "Student screen") \
	X(day_screen, 5, "Day screen") \
	X(log_screen, 6, "Log screen") \
	X(status_screen, 7, "Status screen") \
	X(report_screen, 8, "Report screen") \
	X(calendar_screen, 9, "Calendar screen")

#endif
