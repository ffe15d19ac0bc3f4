#ifndef CREFKIT_BUILD_INFO_H
#define CREFKIT_BUILD_INFO_H

/// The commit this binary was built from, or NULL when the build did not say.
///
/// `make dist` links in a one-line object that defines `crefkit_commit_text` (see
/// packaging/make-dist); a plain `swift build` does not, and the weak reference stays NULL.
/// A weak symbol rather than `-Xcc -DCOMMIT=...` because a changed -Xcc flag recompiles every
/// Swift module, while a changed object on the link line only relinks.
const char *crefkit_build_commit(void);

#endif
