#ifndef CREFKIT_SYSTEM_H
#define CREFKIT_SYSTEM_H

// Linux calls that Swift's Glibc module does not expose.

/// Atomically exchanges two paths (renameat2 with RENAME_EXCHANGE): the output folder and its
/// freshly staged replacement swap in one step, so no reader or crash ever sees neither.
/// Glibc declares renameat2 only under _GNU_SOURCE, which Swift's module map does not set;
/// this helper can go when it does. Returns 0, or -1 with errno set (EINVAL where the file
/// system cannot exchange: the caller falls back to two renames).
int crefkit_exchange_paths(const char *a, const char *b);

/// POSIX_SPAWN_SETSID, which glibc also defines only under _GNU_SOURCE: a background process
/// started in its own session outlives refkit and ignores the terminal's Ctrl-C.
short crefkit_spawn_setsid_flag(void);

#include <spawn.h>

/// posix_spawn_file_actions_addclosefrom_np (glibc 2.34), declared only under _GNU_SOURCE too:
/// the child closes every descriptor from `from` up, so that sockets a library opened without
/// close-on-exec never leak into a print worker. Returns 0 or an error number.
int crefkit_spawn_close_from(posix_spawn_file_actions_t *actions, int from);

/// malloc_trim(0) from <malloc.h>, which Swift's Glibc module does not include: gives the heap
/// pages glibc keeps after free back to the system. `refkit bench` runs five builds in one
/// process and calls it between them, so each build's peak memory is its own. Returns 1 when
/// memory was released.
int crefkit_release_freed_memory(void);

#include <sys/types.h>

/// copy_file_range(2), which glibc declares only under _GNU_SOURCE too: `count` bytes from
/// `in_fd` at `*in_offset` (advanced) to `out_fd` at its file position, copied inside the
/// kernel (shared extents where the file system can), so that a rebuild carries the unchanged
/// parts of the mbox without reading them into memory. Returns the bytes copied, 0 at the end
/// of the input, or -1 with errno set (EXDEV, ENOSYS, EINVAL where it cannot: the caller
/// falls back to read and write).
ssize_t crefkit_copy_file_range(int in_fd, off_t *in_offset, int out_fd, size_t count);

#endif
