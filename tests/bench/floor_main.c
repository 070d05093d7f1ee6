/*
 * floor_main.c - the raw-LMDB floor as a program: `floor SUBCOMMAND ...`
 * (see floor.c).  It links only LMDB, libsodium and libc, so that its
 * whole-process figures are what a minimal LMDB program costs.
 */
#include "floor.h"

int
main(int argc, char **argv)
{
	return floor_main(argc, argv);
}
