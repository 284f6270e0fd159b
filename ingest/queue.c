/*
 * Blocking FIFO of jobs for the ingest workers (see queue.h).
 */
#include "queue.h"

int
ingest_queue_init(struct queue *q)
{
	q->head = q->tail = NULL;
	q->n = 0;
	q->closed = 0;
	if (pthread_mutex_init(&q->mu, NULL) != 0)
		return -1;
	if (pthread_cond_init(&q->cv, NULL) != 0) {
		pthread_mutex_destroy(&q->mu);
		return -1;
	}
	return 0;
}

void
ingest_queue_release(struct queue *q)
{
	pthread_cond_destroy(&q->cv);
	pthread_mutex_destroy(&q->mu);
}

void
ingest_queue_push(struct queue *q, struct job *job)
{
	job->next = NULL;
	pthread_mutex_lock(&q->mu);
	if (q->tail != NULL)
		q->tail->next = job;
	else
		q->head = job;
	q->tail = job;
	q->n++;
	pthread_cond_signal(&q->cv);
	pthread_mutex_unlock(&q->mu);
}

struct job *
ingest_queue_pop(struct queue *q)
{
	struct job *job;

	pthread_mutex_lock(&q->mu);
	while (q->head == NULL && !q->closed)
		pthread_cond_wait(&q->cv, &q->mu);
	job = q->head;
	if (job != NULL) {
		q->head = job->next;
		if (q->head == NULL)
			q->tail = NULL;
		q->n--;
		job->next = NULL;
	}
	pthread_mutex_unlock(&q->mu);
	return job;
}

void
ingest_queue_close(struct queue *q)
{
	pthread_mutex_lock(&q->mu);
	q->closed = 1;
	pthread_cond_broadcast(&q->cv);
	pthread_mutex_unlock(&q->mu);
}
