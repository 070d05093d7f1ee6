/* tui_kiosk.c - placeholder */
#include "tui.h"
int
kiosk_run(rc_db *db)
{
	(void)db;
	return 1;
}
