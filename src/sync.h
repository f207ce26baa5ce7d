/* A mutex and a condition variable, per OS: POSIX threads, or the Win32
 * slim reader/writer lock and condition variable (no pthread DLL to ship
 * next to the Windows addon). Both initialise statically. */
#ifndef SB_SYNC_H
#define SB_SYNC_H

#ifdef _WIN32
#include <windows.h>

typedef SRWLOCK sb_mutex;
typedef CONDITION_VARIABLE sb_cond;
#define SB_MUTEX_INIT SRWLOCK_INIT
#define SB_COND_INIT CONDITION_VARIABLE_INIT
static inline void sb_lock(sb_mutex *m) { AcquireSRWLockExclusive(m); }
static inline void sb_unlock(sb_mutex *m) { ReleaseSRWLockExclusive(m); }
static inline void sb_wait(sb_cond *c, sb_mutex *m) { SleepConditionVariableSRW(c, m, INFINITE, 0); }
static inline void sb_signal(sb_cond *c) { WakeConditionVariable(c); }
#else
#include <pthread.h>

typedef pthread_mutex_t sb_mutex;
typedef pthread_cond_t sb_cond;
#define SB_MUTEX_INIT PTHREAD_MUTEX_INITIALIZER
#define SB_COND_INIT PTHREAD_COND_INITIALIZER
static inline void sb_lock(sb_mutex *m) { pthread_mutex_lock(m); }
static inline void sb_unlock(sb_mutex *m) { pthread_mutex_unlock(m); }
static inline void sb_wait(sb_cond *c, sb_mutex *m) { pthread_cond_wait(c, m); }
static inline void sb_signal(sb_cond *c) { pthread_cond_signal(c); }
#endif

#endif
