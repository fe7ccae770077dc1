/* SPDX-License-Identifier: MIT */
/*
 * threads - unpthread.h in the book's style: worker threads counting under
 * a mutex, a condition variable to say they are done, one-time
 * initialization and thread-specific data, a detached thread.
 */
#include "unpthread.h"

#define	NTHREADS	4
#define	NLOOP		10000

static int				counter, ndone;
static pthread_mutex_t	counter_mutex = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t	done_cond = PTHREAD_COND_INITIALIZER;
static pthread_key_t	tsd_key;
static pthread_once_t	tsd_once = PTHREAD_ONCE_INIT;

static void
tsd_init(void)
{
	Pthread_key_create(&tsd_key, free);
}

static void *
doit(void *arg)
{
	int		i, *mine;

	Pthread_once(&tsd_once, tsd_init);
	mine = (int *) Malloc(sizeof(int));
	*mine = *(int *) arg;
	Pthread_setspecific(tsd_key, mine);
	for (i = 0; i < NLOOP; i++) {
		Pthread_mutex_lock(&counter_mutex);
		counter++;
		Pthread_mutex_unlock(&counter_mutex);
	}
	Pthread_mutex_lock(&counter_mutex);
	ndone++;
	Pthread_cond_signal(&done_cond);
	Pthread_mutex_unlock(&counter_mutex);
	return pthread_getspecific(tsd_key) == mine ? arg : NULL;
}

static void *
detached(void *arg)
{
	Pthread_detach(pthread_self());
	return arg;
}

int
main(int argc, char **argv)
{
	int					i, ids[NTHREADS];
	void				*status;
	pthread_t			tid[NTHREADS], tid_detached;
	pthread_mutex_t		pmutex;
	pthread_mutexattr_t	mattr;
	struct timespec		ts;

	if (argc != 1)
		err_quit("usage: %s", argv[0]);
	Pthread_mutexattr_init(&mattr);
	Pthread_mutexattr_setpshared(&mattr, PTHREAD_PROCESS_PRIVATE);
	Pthread_mutex_init(&pmutex, &mattr);
	for (i = 0; i < NTHREADS; i++) {
		ids[i] = i;
		Pthread_create(&tid[i], NULL, doit, &ids[i]);
	}
	Pthread_create(&tid_detached, NULL, detached, NULL);

	Pthread_mutex_lock(&counter_mutex);
	while (ndone < NTHREADS)
		Pthread_cond_wait(&done_cond, &counter_mutex);
	ts.tv_sec = 0;						/* long past: returns ETIMEDOUT at once */
	ts.tv_nsec = 0;
	if (Pthread_cond_timedwait(&done_cond, &counter_mutex, &ts) != ETIMEDOUT)
		err_quit("Pthread_cond_timedwait should time out");
	Pthread_cond_broadcast(&done_cond);
	Pthread_mutex_unlock(&counter_mutex);
	for (i = 0; i < NTHREADS; i++) {
		Pthread_join(tid[i], &status);
		if (status != &ids[i])
			err_quit("thread %d saw another thread's data", i);
	}
	Pthread_kill(pthread_self(), 0);	/* signal 0: only checks the thread exists */
	Pthread_mutex_lock(&pmutex);
	Pthread_mutex_unlock(&pmutex);
	printf("%d threads counted to %d\n", NTHREADS, counter);
	if (counter != NTHREADS * NLOOP)
		err_quit("lost updates");
	printf("ok\n");
	exit(0);
}
