#define _GNU_SOURCE
#include <fcntl.h>
#include <errno.h>
#include <stdio.h>
#include "crefkit_system.h"

int crefkit_exchange_paths(const char *a, const char *b) {
#ifdef RENAME_EXCHANGE
    return renameat2(AT_FDCWD, a, AT_FDCWD, b, RENAME_EXCHANGE);
#else
    errno = EINVAL;
    return -1;
#endif
}

#include <spawn.h>

short crefkit_spawn_setsid_flag(void) {
    return POSIX_SPAWN_SETSID;
}

int crefkit_spawn_close_from(posix_spawn_file_actions_t *actions, int from) {
    return posix_spawn_file_actions_addclosefrom_np(actions, from);
}

#include <malloc.h>

int crefkit_release_freed_memory(void) {
    return malloc_trim(0);
}

#include <unistd.h>

ssize_t crefkit_copy_file_range(int in_fd, off_t *in_offset, int out_fd, size_t count) {
    return copy_file_range(in_fd, in_offset, out_fd, NULL, count, 0);
}
