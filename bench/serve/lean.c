// lean: a small epoll WebSocket load client for bench/serve (idle, fanout, echo).
// Build: gcc -O2 -o lean lean.c   (the bench scripts do this). Linux only.
// Every receive goes through recvmsg with SO_TIMESTAMPNS: the kernel's CLOCK_REALTIME arrival time of the data.
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#ifndef IP_BIND_ADDRESS_NO_PORT
#define IP_BIND_ADDRESS_NO_PORT 24
#endif

enum { CONNECTING, HANDSHAKE, OPEN, DEAD };
typedef struct {
    int fd, state, index;
    unsigned char *buf;
    size_t len, cap;
    int frames;      // frames received
    int flag;        // mode-specific
    double t_send;   // echo: send time of the oldest in-flight message
} conn_t;

static const char *host = "127.0.0.1", *path = "/ws", *token = NULL, *src = NULL, *session_header = NULL;
static int first_frames = 1;
static int port = 0, nconn = 1, rounds = 20, msg_size = 64, window = 1, max_inflight = 256;
static double duration = 10;
static volatile sig_atomic_t stop = 0;
static int ep;
static conn_t *conns;
static double last_rx;  // kernel timestamp of the most recent read

static double now_real(void) {
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}
static double now_mono(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}
static void die(const char *what) { perror(what); exit(1); }
static void on_signal(int s) { (void)s; stop = 1; }

static void raise_nofile(void) {
    struct rlimit r;
    if (getrlimit(RLIMIT_NOFILE, &r) == 0) { r.rlim_cur = r.rlim_max; setrlimit(RLIMIT_NOFILE, &r); }
}

static int start_connect(conn_t *c) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof one);
    if (src) {  // a source address of our own widens the ephemeral port space (one 4-tuple space per source)
        setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
        struct sockaddr_in s = {.sin_family = AF_INET};
        inet_pton(AF_INET, src, &s.sin_addr);
        if (bind(fd, (struct sockaddr *)&s, sizeof s) < 0) die("bind");
    }
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port)};
    inet_pton(AF_INET, host, &a.sin_addr);
    if (connect(fd, (struct sockaddr *)&a, sizeof a) < 0 && errno != EINPROGRESS) { close(fd); return -1; }
    c->fd = fd; c->state = CONNECTING; c->len = 0;
    struct epoll_event ev = {.events = EPOLLOUT | EPOLLIN, .data.u32 = (uint32_t)c->index};
    if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) < 0) die("epoll_ctl");
    return 0;
}

static void send_all(conn_t *c, const void *data, size_t n) {
    const char *p = data;
    while (n > 0) {
        ssize_t w = send(c->fd, p, n, MSG_NOSIGNAL);
        if (w < 0) {
            if (errno == EAGAIN || errno == EINTR) { usleep(50); continue; }  // tiny messages: rare
            c->state = DEAD; return;
        }
        p += w; n -= (size_t)w;
    }
}

static size_t make_frame(unsigned char *out, int opcode, const void *payload, size_t n) {
    static const unsigned char mask[4] = {0x12, 0x34, 0x56, 0x78};
    size_t h = 0;
    out[h++] = 0x80 | opcode;
    if (n < 126) out[h++] = 0x80 | n;
    else if (n < 65536) { out[h++] = 0x80 | 126; out[h++] = n >> 8; out[h++] = n & 0xff; }
    else { out[h++] = 0x80 | 127; for (int s = 56; s >= 0; s -= 8) out[h++] = (n >> s) & 0xff; }
    memcpy(out + h, mask, 4); h += 4;
    const unsigned char *p = payload;
    for (size_t i = 0; i < n; i++) out[h + i] = p[i] ^ mask[i & 3];
    return h + n;
}

static void send_text(conn_t *c, const char *text) {
    size_t n = strlen(text);
    unsigned char *f = malloc(n + 14);
    size_t m = make_frame(f, 1, text, n);
    send_all(c, f, m);
    free(f);
}

static void send_handshake(conn_t *c) {
    char req[1024];
    int n = snprintf(req, sizeof req,
        "GET %s HTTP/1.1\r\nHost: %s:%d\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n%s%s%s%s%s\r\n",
        path, host, port, token ? "Authorization: Bearer " : "", token ? token : "", token ? "\r\n" : "",
        session_header ? session_header : "", session_header ? "\r\n" : "");
    send_all(c, req, (size_t)n);
    c->state = HANDSHAKE;
}

// ---- modes ----------------------------------------------------------------------------------------------
typedef void (*frame_fn)(conn_t *c, int opcode, unsigned char *payload, size_t n);
static frame_fn on_frame;
static int opened = 0, failed = 0;

static void reserve(conn_t *c, size_t extra) {
    if (c->len + extra <= c->cap) return;
    size_t cap = c->cap ? c->cap : 1024;
    while (cap < c->len + extra) cap *= 2;
    c->buf = realloc(c->buf, cap);
    c->cap = cap;
}

static void parse_frames(conn_t *c) {
    size_t off = 0;
    while (c->len - off >= 2) {
        unsigned char *p = c->buf + off;
        int opcode = p[0] & 0x0f;
        size_t n = p[1] & 0x7f, h = 2;
        if (n == 126) { if (c->len - off < 4) break; n = (p[2] << 8) | p[3]; h = 4; }
        else if (n == 127) { if (c->len - off < 10) break; n = 0; for (int i = 0; i < 8; i++) n = (n << 8) | p[2 + i]; h = 10; }
        if (c->len - off < h + n) break;
        if (opcode == 9) {  // ping -> pong
            unsigned char f[140];
            send_all(c, f, make_frame(f, 10, p + h, n < 125 ? n : 125));
        } else if (opcode == 8) {
            c->state = DEAD;
        } else {
            c->frames++;
            on_frame(c, opcode, p + h, n);
        }
        off += h + n;
    }
    if (off) { memmove(c->buf, c->buf + off, c->len - off); c->len -= off; }
    if (c->cap > 65536 && c->len < 1024) { c->buf = realloc(c->buf, 1024); c->cap = 1024; }
}

static void on_readable(conn_t *c) {
    for (;;) {
        reserve(c, 65536);
        char control[256];
        struct iovec iov = {c->buf + c->len, c->cap - c->len};
        struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = control, .msg_controllen = sizeof control};
        ssize_t r = recvmsg(c->fd, &m, 0);
        if (r < 0) { if (errno == EAGAIN || errno == EINTR) break; c->state = DEAD; return; }
        if (r == 0) { c->state = DEAD; return; }
        for (struct cmsghdr *h = CMSG_FIRSTHDR(&m); h; h = CMSG_NXTHDR(&m, h))
            if (h->cmsg_level == SOL_SOCKET && h->cmsg_type == SCM_TIMESTAMPNS) {
                struct timespec t; memcpy(&t, CMSG_DATA(h), sizeof t);
                last_rx = t.tv_sec + t.tv_nsec / 1e9;
            }
        c->len += (size_t)r;
        if (c->state == HANDSHAKE) {
            unsigned char *end = memmem(c->buf, c->len, "\r\n\r\n", 4);
            if (!end) continue;
            if (memcmp(c->buf, "HTTP/1.1 101", 12) != 0) {
                fprintf(stderr, "handshake refused: %.*s\n", (int)(end - c->buf), c->buf);
                c->state = DEAD; failed++; return;
            }
            size_t head = (size_t)(end - c->buf) + 4;
            memmove(c->buf, c->buf + head, c->len - head); c->len -= head;
            c->state = OPEN; opened++;
        }
        if (c->state == OPEN) parse_frames(c);
        if (c->state == DEAD) return;
    }
    if (c->len == 0 && c->cap > 1024) { free(c->buf); c->buf = NULL; c->cap = 0; }  // idle: hold no buffer
}

static int pump(int timeout_ms) {
    struct epoll_event evs[512];
    int n = epoll_wait(ep, evs, 512, timeout_ms);
    if (n < 0 && errno != EINTR) die("epoll_wait");
    for (int i = 0; i < n; i++) {
        conn_t *c = &conns[evs[i].data.u32];
        if (c->state == DEAD) continue;
        if (c->state == CONNECTING) {
            int err = 0; socklen_t l = sizeof err;
            getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &l);
            if (err) { fprintf(stderr, "connect: %s\n", strerror(err)); c->state = DEAD; failed++; continue; }
            struct epoll_event ev = {.events = EPOLLIN, .data.u32 = (uint32_t)c->index};
            epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev);
            send_handshake(c);
            continue;
        }
        if (evs[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR)) on_readable(c);
        if (c->state == DEAD) { epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL); }
    }
    return n;
}

static int count_frames_at_least(int k, int from, int to) {
    int ok = 0;
    for (int i = from; i < to; i++) if (conns[i].state == OPEN && conns[i].frames >= k) ok++;
    return ok;
}

// Opens connections [from, to) with at most max_inflight handshakes at once; waits for `frames` frames on each.
static void open_all(int from, int to, int frames) {
    int next = from;
    double deadline = now_mono() + 300;
    for (;;) {
        int ready = count_frames_at_least(frames, from, to), dead = 0, pending = 0;
        for (int i = from; i < next; i++) {
            if (conns[i].state == DEAD) dead++;
            else if (conns[i].state != OPEN || conns[i].frames < frames) pending++;
        }
        if (ready + dead == to - from) break;
        if (dead > 0 && (to - from) <= 2) break;
        while (next < to && pending < max_inflight) {
            if (start_connect(&conns[next]) < 0) { conns[next].state = DEAD; failed++; }
            next++; pending++;
        }
        pump(100);
        if (now_mono() > deadline) { fprintf(stderr, "timed out opening connections\n"); break; }
    }
}

// idle: hold N connections after their first frame (hello) until SIGTERM/SIGINT; answer pings.
static void idle_frame(conn_t *c, int op, unsigned char *p, size_t n) { (void)c; (void)op; (void)p; (void)n; }
static void run_idle(void) {
    on_frame = idle_frame;
    open_all(0, nconn, first_frames);
    int ok = count_frames_at_least(first_frames, 0, nconn);
    printf("ready %d failed %d\n", ok, nconn - ok);
    fflush(stdout);
    while (!stop) pump(1000);
    int alive = 0;
    for (int i = 0; i < nconn; i++) if (conns[i].state == OPEN) alive++;
    printf("alive %d\n", alive);
}

// fanout: conns[0] is the publisher, conns[1..N] subscribe to one queued run per round; the publisher cancels it.
static char run_b[128], run_a[128], session_token[128];
static double t0;
static double *lat, *spread;
static int nspread = 0;
static int blocker_model = 0;  // --blocker model: the blocker run waits on a model instead of researching
static int nlat = 0, got_round = 0, a_done = 0, b_acked = 0, b_cancelled_queued = 0;
static int copy_field(const unsigned char *p, size_t n, const char *key, char *out, size_t outn) {
    char *s = memmem(p, n, key, strlen(key));
    if (!s) return 0;
    s += strlen(key);
    size_t i = 0;
    while ((unsigned char *)s < p + n && *s != '"' && i + 1 < outn) out[i++] = *s++;
    out[i] = 0;
    return 1;
}
static int has(const unsigned char *p, size_t n, const char *s) { return memmem(p, n, s, strlen(s)) != NULL; }
static void fanout_frame(conn_t *c, int op, unsigned char *p, size_t n) {
    (void)op;
    if (c->index == 0) {
        if (has(p, n, "\"type\":\"hello\"")) copy_field(p, n, "\"session_token\":\"", session_token, sizeof session_token);
        if (has(p, n, "\"for\":\"run.start\"")) {
            if (c->flag == 1) { copy_field(p, n, "\"run\":\"", run_a, sizeof run_a); }
            else { copy_field(p, n, "\"run\":\"", run_b, sizeof run_b); b_acked = 1; }
        }
        if (has(p, n, "\"type\":\"run.completed\"") && run_a[0] && has(p, n, run_a)) a_done = 1;
        return;
    }
    if (has(p, n, "\"for\":\"subscribe\"")) c->flag = 1;
    if (has(p, n, "\"type\":\"run.completed\"") && run_b[0] && has(p, n, run_b)) {
        if (has(p, n, "cancelled while queued")) b_cancelled_queued++;
        if (nlat < nconn * rounds) lat[nlat++] = last_rx - t0;
        got_round++;
    }
}
static int cmp_double(const void *a, const void *b) { double x = *(double *)a, y = *(double *)b; return x < y ? -1 : x > y; }
static void wait_until(int *flag, double seconds) {
    double d = now_mono() + seconds;
    while (!*flag && now_mono() < d) pump(10);
}
static void run_fanout(void) {
    on_frame = fanout_frame;
    lat = malloc(sizeof(double) * (size_t)nconn * rounds);
    spread = malloc(sizeof(double) * (size_t)nconn * rounds);
    open_all(0, 1, 1);
    if (!session_token[0]) { fprintf(stderr, "no session_token in hello\n"); exit(1); }
    static char header[200];
    snprintf(header, sizeof header, "X-Raaid-Session: %s", session_token);
    session_header = header;  // the subscribers join the publisher's session
    open_all(1, nconn + 1, 1);
    int subs = count_frames_at_least(1, 1, nconn + 1);
    fprintf(stderr, "fanout: %d subscribers open\n", subs);
    conn_t *pub = &conns[0];
    char msg[512];
    int good_rounds = 0;
    for (int r = 0; r < rounds + 1; r++) {  // round 0 is a warm-up
        if (!run_a[0] || a_done) {  // (re)start the blocker that keeps the next run queued
            a_done = 0; run_a[0] = 0; pub->flag = 1; b_acked = 0;
            send_text(pub, blocker_model
                ? "{\"type\":\"run.start\",\"id\":\"a\",\"task\":\"blocker: keep the run slot busy\",\"options\":{\"research_only\":false}}"
                : "{\"type\":\"run.start\",\"id\":\"a\",\"task\":\"blocker: keep the run slot busy\",\"options\":{\"research_only\":true}}");
            double d = now_mono() + 10;
            while (!run_a[0] && now_mono() < d) pump(10);
        }
        pub->flag = 2; b_acked = 0; run_b[0] = 0;
        send_text(pub, "{\"type\":\"run.start\",\"id\":\"b\",\"task\":\"fan-out probe\",\"options\":{\"research_only\":true}}");
        wait_until(&b_acked, 10);
        for (int i = 1; i <= nconn; i++) {
            conns[i].flag = 0; conns[i].frames = 0;
            snprintf(msg, sizeof msg, "{\"type\":\"subscribe\",\"id\":\"s\",\"run\":\"%s\",\"since_seq\":0}", run_b);
            if (conns[i].state == OPEN) send_text(&conns[i], msg);
        }
        double d = now_mono() + 20;  // every subscriber has its ack and the replayed run.queued
        for (;;) {
            int ready = 0;
            for (int i = 1; i <= nconn; i++) if (conns[i].state != OPEN || (conns[i].flag && conns[i].frames >= 2)) ready++;
            if (ready == nconn || now_mono() > d) break;
            pump(10);
        }
        pump(0);
        usleep(20000);  // let the server go quiet
        int before = nlat, queued_before = b_cancelled_queued;
        got_round = 0;
        snprintf(msg, sizeof msg, "{\"type\":\"run.cancel\",\"id\":\"c\",\"run\":\"%s\"}", run_b);
        t0 = now_real();
        send_text(pub, msg);
        d = now_mono() + 10;
        while (got_round < subs && now_mono() < d) pump(10);
        int queued_ok = b_cancelled_queued - queued_before == got_round;
        if (r == 0 || !queued_ok || got_round < subs) {
            if (r > 0) fprintf(stderr, "round %d discarded (received %d, cancelled while queued: %d)\n", r, got_round, queued_ok);
            nlat = before;
            if (r > 0) r--;  // redo it
            if (r > 0 && !queued_ok) a_done = 1;
            continue;
        }
        good_rounds++;
        double first = lat[before];
        for (int i = before; i < nlat; i++) if (lat[i] < first) first = lat[i];
        double last = lat[before];
        for (int i = before; i < nlat; i++) if (lat[i] > last) last = lat[i];
        for (int i = before; i < nlat; i++) spread[nspread++] = lat[i] - first;
        fprintf(stderr, "round %d first_ms %.3f last_ms %.3f\n", good_rounds, first * 1e3, last * 1e3);
        usleep(100000);  // stay under the per-connection message rate (20/s)
    }
    qsort(lat, (size_t)nlat, sizeof(double), cmp_double);
    qsort(spread, (size_t)nspread, sizeof(double), cmp_double);
    double sum = 0; for (int i = 0; i < nlat; i++) sum += lat[i];
#define PCT(q) (lat[(int)((q) * (nlat - 1))] * 1e3)
    printf("fanout subscribers=%d rounds=%d samples=%d p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f max_ms=%.3f mean_ms=%.3f ",
           subs, good_rounds, nlat, PCT(0.5), PCT(0.9), PCT(0.99), PCT(1.0), nlat ? sum / nlat * 1e3 : 0);
    // spread: receive time minus the round's first receive time (the fan-out alone, without the time to react)
    printf("spread_p50_ms=%.3f spread_p99_ms=%.3f spread_max_ms=%.3f\n", spread[(int)(0.5 * (nspread - 1))] * 1e3,
           spread[(int)(0.99 * (nspread - 1))] * 1e3, spread[nspread - 1] * 1e3);
}

// echo: N clients each keep `window` binary messages in flight for `duration` seconds.
static long echoed = 0;
static double *rtt; static long nrtt = 0, rtt_cap = 0; static int measuring = 0;
static unsigned char *payload_buf;
static void echo_send(conn_t *c) {
    unsigned char f[65600];
    size_t m = make_frame(f, 2, payload_buf, (size_t)msg_size);
    struct timespec t; clock_gettime(CLOCK_REALTIME, &t);
    c->t_send = t.tv_sec + t.tv_nsec / 1e9;
    send_all(c, f, m);
}
static void echo_frame(conn_t *c, int op, unsigned char *p, size_t n) {
    (void)op; (void)p; (void)n;
    if (measuring) {
        echoed++;
        if (window == 1 && nrtt < rtt_cap) rtt[nrtt++] = last_rx - c->t_send;
    }
    if (!stop) echo_send(c);
}
static void run_echo(void) {
    on_frame = echo_frame;
    payload_buf = malloc((size_t)msg_size);
    for (int i = 0; i < msg_size; i++) payload_buf[i] = (unsigned char)('a' + i % 26);
    rtt_cap = 20000000; rtt = malloc(sizeof(double) * (size_t)rtt_cap);
    open_all(0, nconn, 0);
    // wait for every handshake
    double d = now_mono() + 30;
    while (opened + failed < nconn && now_mono() < d) pump(10);
    for (int i = 0; i < nconn; i++) if (conns[i].state == OPEN) for (int w = 0; w < window; w++) echo_send(&conns[i]);
    double warm = now_mono() + 1;
    while (now_mono() < warm) pump(100);
    struct rusage r0, r1; getrusage(RUSAGE_SELF, &r0);
    measuring = 1;
    double start = now_mono(), end = start + duration;
    while (now_mono() < end) pump(50);
    measuring = 0;
    double elapsed = now_mono() - start;
    getrusage(RUSAGE_SELF, &r1);
    double cpu = (r1.ru_utime.tv_sec - r0.ru_utime.tv_sec) + (r1.ru_utime.tv_usec - r0.ru_utime.tv_usec) / 1e6 +
                 (r1.ru_stime.tv_sec - r0.ru_stime.tv_sec) + (r1.ru_stime.tv_usec - r0.ru_stime.tv_usec) / 1e6;
    int alive = 0; for (int i = 0; i < nconn; i++) if (conns[i].state == OPEN) alive++;
    qsort(rtt, (size_t)nrtt, sizeof(double), cmp_double);
    printf("echo clients=%d alive=%d size=%d window=%d seconds=%.2f messages=%ld msgs_per_s=%.0f client_cpu_pct=%.0f",
           nconn, alive, msg_size, window, elapsed, echoed, echoed / elapsed, cpu / elapsed * 100);
    if (nrtt) printf(" rtt_p50_ms=%.3f rtt_p99_ms=%.3f", rtt[nrtt / 2] * 1e3, rtt[(long)(0.99 * (nrtt - 1))] * 1e3);
    printf("\n");
}

int main(int argc, char **argv) {
    if (argc < 2) { fprintf(stderr, "usage: lean idle|fanout|echo --port P [--path /ws] [--token T] [--n N] ...\n"); return 2; }
    const char *mode = argv[1];
    for (int i = 2; i + 1 < argc; i += 2) {
        const char *k = argv[i], *v = argv[i + 1];
        if (!strcmp(k, "--port")) port = atoi(v);
        else if (!strcmp(k, "--host")) host = v;
        else if (!strcmp(k, "--path")) path = v;
        else if (!strcmp(k, "--token")) token = *v ? v : NULL;
        else if (!strcmp(k, "--src")) src = v;
        else if (!strcmp(k, "--n")) nconn = atoi(v);
        else if (!strcmp(k, "--frames")) first_frames = atoi(v);
        else if (!strcmp(k, "--rounds")) rounds = atoi(v);
        else if (!strcmp(k, "--blocker")) blocker_model = !strcmp(v, "model");
        else if (!strcmp(k, "--size")) msg_size = atoi(v);
        else if (!strcmp(k, "--window")) window = atoi(v);
        else if (!strcmp(k, "--seconds")) duration = atof(v);
        else if (!strcmp(k, "--inflight")) max_inflight = atoi(v);
        else { fprintf(stderr, "unknown option %s\n", k); return 2; }
    }
    raise_nofile();
    signal(SIGTERM, on_signal); signal(SIGINT, on_signal); signal(SIGPIPE, SIG_IGN);
    ep = epoll_create1(EPOLL_CLOEXEC);
    int total = nconn + 1;
    conns = calloc((size_t)total, sizeof(conn_t));
    for (int i = 0; i < total; i++) { conns[i].index = i; conns[i].fd = -1; conns[i].state = DEAD; }
    if (!strcmp(mode, "idle")) run_idle();
    else if (!strcmp(mode, "fanout")) run_fanout();
    else if (!strcmp(mode, "echo")) run_echo();
    else { fprintf(stderr, "unknown mode %s\n", mode); return 2; }
    return 0;
}
