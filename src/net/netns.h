/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Named network namespaces, compatible with iproute2: a namespace NAME is
 * a bind mount at /run/netns/NAME, so `ip netns exec NAME ...` works on
 * what iovbench builds, and `ip netns list` shows it.
 */
#ifndef IOV_NET_NETNS_H
#define IOV_NET_NETNS_H

#include <stddef.h>
#include <sys/types.h>

#define NETNS_RUN_DIR "/run/netns"

/* Create NAME (it must not exist); the caller's namespace is unchanged. */
int netns_create(const char *name);
/* Unmount and remove NAME; processes still inside keep it alive. */
int netns_delete(const char *name);
int netns_exists(const char *name);
/* An O_RDONLY fd of NAME, or -errno. */
int netns_open(const char *name);

/*
 * Move the calling thread into NAME; *saved gets a handle on where it
 * was, for netns_restore(). Threads started later inherit the namespace.
 */
int netns_enter(const char *name, int *saved);
int netns_restore(int saved);

/* Names in /run/netns starting with prefix (a new array of new strings). */
int netns_list(const char *prefix, char ***names, size_t *n);
/* Processes whose network namespace is NAME. */
int netns_pids(const char *name, pid_t **pids, size_t *n);

/* Write value to /proc/sys/KEY as seen inside namespace NAME. */
int netns_sysctl(const char *name, const char *key, const char *value);

void strv_free(char **v, size_t n);

#endif
