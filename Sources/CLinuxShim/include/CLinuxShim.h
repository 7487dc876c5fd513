// The Linux APIs Swift's Glibc module leaves out, for the Serve module's reactor (STYLE.md §3).
#ifndef CLINUXSHIM_H
#define CLINUXSHIM_H

#ifdef __linux__
#include <sys/epoll.h>

// The union member of struct epoll_event, read and written through functions: the struct is packed on x86_64.
static inline int clinuxshim_epoll_event_fd(const struct epoll_event *event) { return event->data.fd; }
static inline unsigned int clinuxshim_epoll_event_events(const struct epoll_event *event) { return event->events; }
static inline struct epoll_event clinuxshim_epoll_event_make(unsigned int events, int fd) {
    struct epoll_event event;
    event.events = events;
    event.data.u64 = 0;
    event.data.fd = fd;
    return event;
}
#endif

#endif
