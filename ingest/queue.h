/*
 * A small blocking queue of pages between the ingest main thread and its
 * workers: the only state the threads share, behind one mutex.
 */
#ifndef SOHOA_INGEST_QUEUE_H
#define SOHOA_INGEST_QUEUE_H

#include <pthread.h>
#include <stddef.h>

struct Pix;
struct sohoa_page;
struct file;

/* One page on its way through a worker and back. */
struct job {
	struct job *next;
	struct file *file;		/* main thread's; workers do not touch it */
	const char *path;		/* the scan, read-only for the run */
	int pageno;
	struct Pix *pix;		/* the decoded page, inside the worker only */
	struct sohoa_page *page;	/* output */
	int rc;
	char *error;			/* output when rc != 0, malloc'd */
	char *codes;			/* output: the page's barcodes and QR
					   codes that are no separator, one a
					   line ("QR-Code:text"), malloc'd */
};

struct queue {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct job *head, *tail;
	size_t n;
	int closed;
};

int ingest_queue_init(struct queue *q);
void ingest_queue_release(struct queue *q);
void ingest_queue_push(struct queue *q, struct job *job);
/* Wait for a job; NULL once the queue is closed and empty. */
struct job *ingest_queue_pop(struct queue *q);
void ingest_queue_close(struct queue *q);

#endif
