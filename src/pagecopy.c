/*
 * pagecopy.c - the backup's copy: LMDB's compacting copy through a pipe,
 * each page rebuilt from its used bytes on zeroes (see pagecopy.h).
 *
 * The page layout read here is LMDB 0.9's file format (mdb.c: MDB_page,
 * MDB_node), which a data.mdb keeps across releases of LMDB:
 *
 *   page:  pgno (pgno_t) | pad u16 | flags u16 | lower u16 | upper u16 |
 *          pointers u16[(lower - header) / 2] ... gap ... nodes
 *          (an overflow page has a u32 page count where lower and upper
 *          are, then data up to its last page)
 *   node:  data size u32 (two u16 halves; a branch's child pgno) |
 *          flags u16 | key size u16 | key | data
 *          (data: a pgno_t for a value on overflow pages, a sub-database
 *          record, or a sub-page laid out as a page, for duplicates)
 *   LEAF2 (fixed-size duplicates): keys packed from the header on, so
 *          the used bytes end at size - upper + lower
 */
#define _GNU_SOURCE		/* sync_file_range(), F_SETPIPE_SZ */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "envcopy.h"
#include "pagecopy.h"

#define PG_HDR (sizeof(size_t) + 8)	/* pgno_t is a size_t */
#define PG_FLAGS (sizeof(size_t) + 2)
#define PG_LOWER (sizeof(size_t) + 4)
#define PG_UPPER (sizeof(size_t) + 6)
#define PG_PAGES PG_LOWER		/* an overflow page's count */
#define P_BRANCH 0x01
#define P_LEAF 0x02
#define P_OVERFLOW 0x04
#define P_META 0x08
#define P_LEAF2 0x20
#define NODE_HDR 8
#define F_BIGDATA 0x01
#define F_SUBDATA 0x02
#define F_DUPDATA 0x04

#define CHUNK (1024 * 1024)	/* written at once; a multiple of pages */
#define FLUSH_BYTES (8 * 1024 * 1024)	/* as envcopy.c's write-back */

static unsigned
rd16(const uint8_t *p)
{
	uint16_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/* A node's data size, or a branch node's child page: lo and hi halves. */
static size_t
node_dsize(const uint8_t *n)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	return rd16(n + 2) | (size_t)rd16(n) << 16;
#else
	return rd16(n) | (size_t)rd16(n + 2) << 16;
#endif
}

/* A value's overflow pages, whose unused tail is cleared at the end. */
struct tail {
	uint64_t pgno;
	size_t size;
};

struct scrub {
	size_t psize;
	struct tail *tails;
	size_t ntails, cap;
};

static int
note_tail(struct scrub *sc, const uint8_t *data, size_t size)
{
	struct tail *t;
	size_t pg;

	if (sc->ntails == sc->cap) {
		sc->cap = sc->cap ? 2 * sc->cap : 16;
		if ((t = realloc(sc->tails, sc->cap * sizeof(*t))) == NULL)
			return ENOMEM;
		sc->tails = t;
	}
	memcpy(&pg, data, sizeof(pg));
	sc->tails[sc->ntails].pgno = pg;
	sc->tails[sc->ntails++].size = size;
	return 0;
}

/*
 * The flags and gap of the page or sub-page s, and whether they are
 * sane: a branch or a leaf (a sub-page never a branch), its gap inside.
 */
static int
page_header(const uint8_t *s, size_t size, int sub, unsigned *flags,
    unsigned *lower, unsigned *upper)
{
	if (size < PG_HDR)
		return 0;
	*flags = rd16(s + PG_FLAGS);
	*lower = rd16(s + PG_LOWER);
	*upper = rd16(s + PG_UPPER);
	return *lower >= PG_HDR && *lower <= *upper && *upper <= size &&
	    (*flags & (P_BRANCH | P_LEAF)) != 0 &&
	    (*flags & (P_BRANCH | P_LEAF)) != (P_BRANCH | P_LEAF) &&
	    !(sub && (*flags & P_BRANCH));
}

/*
 * Copy into d (size bytes, zeroes) what the page or sub-page s uses:
 * its header, pointers and nodes, a sub-page's own likewise.
 */
static int
scrub_page(struct scrub *sc, const uint8_t *s, uint8_t *d, size_t size,
    int sub)
{
	unsigned flags, lower, upper, nflags;
	size_t i, n, off, ks, ds, len;
	int rc;

	if (!page_header(s, size, sub, &flags, &lower, &upper))
		return MDB_CORRUPTED;
	if (flags & P_LEAF2) {
		memcpy(d, s, size - upper + lower);
		return 0;
	}
	memcpy(d, s, lower);
	n = (lower - PG_HDR) / 2;
	for (i = 0; i < n; i++) {
		off = rd16(s + PG_HDR + 2 * i);
		if (off < lower || off + NODE_HDR > size)
			return MDB_CORRUPTED;
		nflags = rd16(s + off + 4);
		ks = rd16(s + off + 6);
		ds = node_dsize(s + off);
		if (flags & P_BRANCH)
			len = NODE_HDR + ks;
		else if (nflags & F_BIGDATA)
			len = NODE_HDR + ks + sizeof(size_t);
		else
			len = NODE_HDR + ks + ds;
		if (len > size - off)
			return MDB_CORRUPTED;
		memcpy(d + off, s + off, len);
		if (flags & P_BRANCH)
			continue;
		off += NODE_HDR + ks;
		if (nflags & F_BIGDATA) {
			if (sub || (rc = note_tail(sc, s + off, ds)) != 0)
				return sub ? MDB_CORRUPTED : rc;
		} else if ((nflags & (F_DUPDATA | F_SUBDATA)) == F_DUPDATA) {
			/* A sub-page of duplicates: it has a gap of its own. */
			if (sub)
				return MDB_CORRUPTED;
			memset(d + off, 0, ds);
			if ((rc = scrub_page(sc, s + off, d + off, ds, 1)) != 0)
				return rc;
		}
	}
	return 0;
}

/* The bytes of the node at off of a page with flags pflags, pad aside. */
static size_t
node_len(const uint8_t *s, size_t off, unsigned pflags)
{
	size_t ks = rd16(s + off + 6);

	if (pflags & P_BRANCH)
		return NODE_HDR + ks;
	if (rd16(s + off + 4) & F_BIGDATA)
		return NODE_HDR + ks + sizeof(size_t);
	return NODE_HDR + ks + node_dsize(s + off);
}

/*
 * Whether the page or sub-page s is laid out as LMDB keeps its pages:
 * the nodes, each rounded up to an even length, fill upper to the end,
 * and its sub-pages likewise.  Then clearing its gap and its nodes' pad
 * bytes in place leaves only what it uses (clear_tidy), at a fraction
 * of the cost of rebuilding it (scrub_page, for any other page).
 */
static int
tidy(const uint8_t *s, size_t size, int sub)
{
	unsigned flags, lower, upper, nflags;
	size_t i, n, off, len, sum = 0;

	if (!page_header(s, size, sub, &flags, &lower, &upper))
		return 0;
	if (flags & P_LEAF2)
		return 1;
	n = (lower - PG_HDR) / 2;
	for (i = 0; i < n; i++) {
		off = rd16(s + PG_HDR + 2 * i);
		if (off < upper || off + NODE_HDR > size)
			return 0;
		len = node_len(s, off, flags);
		if (len + (len & 1) > size - off)
			return 0;
		sum += len + (len & 1);
		if (flags & P_BRANCH)
			continue;
		nflags = rd16(s + off + 4);
		if ((nflags & F_BIGDATA) && sub)
			return 0;
		if (!(nflags & F_BIGDATA) &&
		    (nflags & (F_DUPDATA | F_SUBDATA)) == F_DUPDATA &&
		    (sub || !tidy(s + off + NODE_HDR + rd16(s + off + 6),
		    node_dsize(s + off), 1)))
			return 0;
	}
	return sum == size - upper;
}

/* Clear a tidy() page's gap and pads, its sub-pages' likewise. */
static int
clear_tidy(struct scrub *sc, uint8_t *p, size_t size)
{
	unsigned flags = rd16(p + PG_FLAGS), lower = rd16(p + PG_LOWER),
	    upper = rd16(p + PG_UPPER), nflags;
	size_t i, n, off, len, ks;
	int rc;

	if (flags & P_LEAF2) {
		memset(p + size - upper + lower, 0, upper - lower);
		return 0;
	}
	memset(p + lower, 0, upper - lower);
	n = (lower - PG_HDR) / 2;
	for (i = 0; i < n; i++) {
		off = rd16(p + PG_HDR + 2 * i);
		len = node_len(p, off, flags);
		if (len & 1)
			p[off + len] = 0;
		if (flags & P_BRANCH)
			continue;
		nflags = rd16(p + off + 4);
		ks = rd16(p + off + 6);
		if (nflags & F_BIGDATA) {
			if ((rc = note_tail(sc, p + off + NODE_HDR + ks,
			    node_dsize(p + off))) != 0)
				return rc;
		} else if ((nflags & (F_DUPDATA | F_SUBDATA)) == F_DUPDATA) {
			if ((rc = clear_tidy(sc, p + off + NODE_HDR + ks,
			    node_dsize(p + off))) != 0)
				return rc;
		}
	}
	return 0;
}

/* LMDB's copy, run in a thread of its own, into the pipe's write end. */
struct feed {
	MDB_env *env;
	int fd;
	int rc;
};

static void *
feed_run(void *arg)
{
	struct feed *f = arg;

	f->rc = mdb_env_copyfd2(f->env, f->fd, MDB_CP_COMPACT);
	close(f->fd);
	return NULL;
}

static int
write_all(int fd, const uint8_t *p, size_t n)
{
	ssize_t w;

	while (n > 0) {
		if ((w = write(fd, p, n)) < 0) {
			if (errno == EINTR)
				continue;
			return errno;
		}
		if (w == 0)
			return EIO;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Clear each overflow value's unused tail, now that the file is whole. */
static int
clear_tails(struct scrub *sc, int fd, uint64_t end, const uint8_t *zero)
{
	uint64_t at, stop;
	size_t i, n;
	ssize_t w;

	for (i = 0; i < sc->ntails; i++) {
		at = sc->tails[i].pgno * sc->psize + PG_HDR + sc->tails[i].size;
		stop = sc->tails[i].pgno * sc->psize + ((PG_HDR - 1 +
		    sc->tails[i].size) / sc->psize + 1) * sc->psize;
		if (stop > end || sc->tails[i].pgno < 2)
			return MDB_CORRUPTED;
		for (; at < stop; at += (uint64_t)w) {
			n = stop - at < sc->psize ? stop - at : sc->psize;
			if ((w = pwrite(fd, zero, n, (off_t)at)) <= 0) {
				if (w < 0 && errno == EINTR) {
					w = 0;
					continue;
				}
				return w < 0 ? errno : EIO;
			}
		}
	}
	return 0;
}

/*
 * Read the pipe to its end, page by page: metas as they are, the first
 * page of a value's overflow pages and the rest raw, any other page
 * rebuilt; write each CHUNK, and start its write-back every FLUSH_BYTES.
 */
static int
pump(struct scrub *sc, int in, int out, uint8_t *buf, uint8_t *tmp,
    uint64_t *written)
{
	size_t have = 0, done = 0, psize = sc->psize, raw = 0, unflushed = 0;
	uint64_t pages = 0;
	unsigned flags;
	uint32_t count;
	ssize_t r;
	int rc;

	for (;;) {
		r = read(in, buf + have, CHUNK - have);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return errno;
		}
		have += (size_t)r;
		for (; have - done >= psize; done += psize, pages++) {
			uint8_t *p = buf + done;

			if (raw > 0) {
				raw--;
				continue;
			}
			flags = rd16(p + PG_FLAGS);
			if (pages < 2) {
				if (!(flags & P_META))
					return MDB_CORRUPTED;
			} else if (flags & P_OVERFLOW) {
				memcpy(&count, p + PG_PAGES, sizeof(count));
				if (count == 0)
					return MDB_CORRUPTED;
				raw = count - 1;
			} else if (tidy(p, psize, 0)) {
				if ((rc = clear_tidy(sc, p, psize)) != 0)
					return rc;
			} else {
				memset(tmp, 0, psize);
				if ((rc = scrub_page(sc, p, tmp, psize, 0)) != 0)
					return rc;
				memcpy(p, tmp, psize);
			}
		}
		if (have == CHUNK || (r == 0 && have > 0)) {
			if (done != have)	/* a page cut short */
				return MDB_CORRUPTED;
			if ((rc = write_all(out, buf, have)) != 0)
				return rc;
			*written += have;
			if ((unflushed += have) >= FLUSH_BYTES) {
				sync_file_range(out, 0, 0, SYNC_FILE_RANGE_WRITE);
				unflushed = 0;
			}
			have = done = 0;
		}
		if (r == 0)
			return raw > 0 || pages < 2 ? MDB_CORRUPTED : 0;
	}
}

int
pagecopy_write(rc_db *db, const char *file)
{
	struct scrub sc = { 0, NULL, 0, 0 };
	struct feed feed = { db->env, -1, 0 };
	uint8_t *buf = NULL, *tmp = NULL;
	uint64_t written = 0;
	pthread_t thr;
	MDB_stat st;
	int fd, p[2], rc;

	if ((rc = mdb_env_stat(db->env, &st)) != 0)
		return rc;
	sc.psize = st.ms_psize;
	if (sc.psize < 512 || CHUNK % sc.psize != 0)
		return MDB_INCOMPATIBLE;
	if ((fd = open(file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
	    0600)) < 0)
		return errno;
	if ((buf = malloc(CHUNK)) == NULL || (tmp = calloc(1,
	    sc.psize)) == NULL) {
		rc = ENOMEM;
		goto out;
	}
	if (pipe2(p, O_CLOEXEC) != 0) {
		rc = errno;
		goto out;
	}
	/* A pipe as deep as LMDB's buffer: its thread writes 1 MB at once. */
	fcntl(p[1], F_SETPIPE_SZ, CHUNK);
	feed.fd = p[1];
	envcopy_prefault(db->env);
	if ((rc = pthread_create(&thr, NULL, feed_run, &feed)) != 0) {
		close(p[0]);
		close(p[1]);
		goto out;
	}
	rc = pump(&sc, p[0], fd, buf, tmp, &written);
	/* Closing the read end stops LMDB's writer (EPIPE) if we failed. */
	close(p[0]);
	pthread_join(thr, NULL);
	/* LMDB's own failure explains a stream cut short; EPIPE is ours. */
	if (feed.rc != 0 && (rc == 0 || rc == MDB_CORRUPTED))
		rc = feed.rc;
	memset(tmp, 0, sc.psize);
	if (rc == 0)
		rc = clear_tails(&sc, fd, written, tmp);
	if (rc == 0 && fdatasync(fd) != 0)
		rc = errno;
out:
	if (close(fd) != 0 && rc == 0)
		rc = errno;
	free(sc.tails);
	free(tmp);
	free(buf);
	return rc;
}
