/*
 * rm_backup.h - core-internal: the backup settings' read model
 * (rm_backup.c): backup-dir and backup-keep (config keys 8 and 9), kept
 * in `meta` (record.h) and folded from config_changed like the policy.
 */
#ifndef ROLLCALL_RM_BACKUP_H
#define ROLLCALL_RM_BACKUP_H

#include "readside.h"

#define RM_BACKUP_KEEP_DEFAULT 14

extern const struct read_model rm_backup;

/*
 * The settings in force: dir (dirlen bytes, NUL-terminated; "" when
 * unset) and *keep (14 when never set).
 */
int rm_backup_get(rc_db *db, MDB_txn *txn, char *dir, size_t dirlen,
    unsigned *keep);

#endif
