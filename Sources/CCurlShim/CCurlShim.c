#include "CCurlShim.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    int msg;
    void *easy_handle;
    union {
        void *whatever;
        int result;
    } data;
} raaid_curl_msg;

static struct {
    int (*global_init)(long flags);
    void *(*easy_init)(void);
    void (*easy_cleanup)(void *);
    int (*easy_setopt)(void *, int, ...);
    int (*easy_getinfo)(void *, int, ...);
    const char *(*easy_strerror)(int);
    void *(*slist_append)(void *, const char *);
    void (*slist_free_all)(void *);
    void *(*multi_init)(void);
    int (*multi_cleanup)(void *);
    int (*multi_add_handle)(void *, void *);
    int (*multi_remove_handle)(void *, void *);
    int (*multi_perform)(void *, int *);
    int (*multi_poll)(void *, void *, unsigned int, int, int *);
    int (*multi_wakeup)(void *);
    raaid_curl_msg *(*multi_info_read)(void *, int *);
} curl;

static pthread_once_t load_once = PTHREAD_ONCE_INIT;
static char load_error[512];
static int load_status = -1;

#define RESOLVE(handle, field, name)                                                                          \
    do {                                                                                                      \
        *(void **)&curl.field = dlsym(handle, name);                                                          \
        if (!curl.field) {                                                                                    \
            snprintf(load_error, sizeof load_error, "%s has no %s (libcurl 7.68 or newer is needed)", path, name); \
            return;                                                                                           \
        }                                                                                                     \
    } while (0)

static void load(void) {
    static const char *const defaults[] = {"libcurl.so.4", "libcurl-gnutls.so.4", "libcurl.so"};
    // RAAID_LIBCURL names the one library to load (a path or a soname), e.g. a newer libcurl than the system's.
    const char *chosen = getenv("RAAID_LIBCURL");
    const char *const *candidates = defaults;
    size_t count = sizeof defaults / sizeof defaults[0];
    if (chosen && *chosen) {
        candidates = &chosen;
        count = 1;
    }
    void *handle = NULL;
    const char *path = NULL;
    for (size_t i = 0; i < count && !handle; i++) {
        path = candidates[i];
        handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    }
    if (!handle) {
        const char *why = dlerror();
        if (count == 1) {
            snprintf(load_error, sizeof load_error, "libcurl could not be loaded from RAAID_LIBCURL=%s: %s", path,
                     why ? why : "not found");
        } else {
            snprintf(load_error, sizeof load_error,
                     "libcurl could not be loaded (tried libcurl.so.4, libcurl-gnutls.so.4, libcurl.so): %s",
                     why ? why : "not found");
        }
        return;
    }
    RESOLVE(handle, global_init, "curl_global_init");
    RESOLVE(handle, easy_init, "curl_easy_init");
    RESOLVE(handle, easy_cleanup, "curl_easy_cleanup");
    RESOLVE(handle, easy_setopt, "curl_easy_setopt");
    RESOLVE(handle, easy_getinfo, "curl_easy_getinfo");
    RESOLVE(handle, easy_strerror, "curl_easy_strerror");
    RESOLVE(handle, slist_append, "curl_slist_append");
    RESOLVE(handle, slist_free_all, "curl_slist_free_all");
    RESOLVE(handle, multi_init, "curl_multi_init");
    RESOLVE(handle, multi_cleanup, "curl_multi_cleanup");
    RESOLVE(handle, multi_add_handle, "curl_multi_add_handle");
    RESOLVE(handle, multi_remove_handle, "curl_multi_remove_handle");
    RESOLVE(handle, multi_perform, "curl_multi_perform");
    RESOLVE(handle, multi_poll, "curl_multi_poll");
    RESOLVE(handle, multi_wakeup, "curl_multi_wakeup");
    RESOLVE(handle, multi_info_read, "curl_multi_info_read");
    int code = curl.global_init(3 /* CURL_GLOBAL_ALL */);
    if (code != 0) {
        snprintf(load_error, sizeof load_error, "curl_global_init failed: %s", curl.easy_strerror(code));
        return;
    }
    load_status = 0;
}

int raaid_curl_load(char *error, size_t error_size) {
    pthread_once(&load_once, load);
    if (load_status != 0 && error && error_size) snprintf(error, error_size, "%s", load_error);
    return load_status;
}

void *raaid_curl_easy_init(void) { return curl.easy_init(); }
void raaid_curl_easy_cleanup(void *easy) { curl.easy_cleanup(easy); }
int raaid_curl_setopt_long(void *easy, int option, long value) { return curl.easy_setopt(easy, option, value); }
int raaid_curl_setopt_pointer(void *easy, int option, const void *value) { return curl.easy_setopt(easy, option, value); }
int raaid_curl_setopt_offset(void *easy, int option, long long value) { return curl.easy_setopt(easy, option, value); }
int raaid_curl_setopt_callback(void *easy, int option, raaid_curl_data_callback callback) {
    return curl.easy_setopt(easy, option, callback);
}
long raaid_curl_response_code(void *easy) {
    long code = 0;
    curl.easy_getinfo(easy, 0x200002 /* CURLINFO_RESPONSE_CODE */, &code);
    return code;
}
const char *raaid_curl_strerror(int code) { return curl.easy_strerror(code); }

void *raaid_curl_slist_append(void *list, const char *string) { return curl.slist_append(list, string); }
void raaid_curl_slist_free_all(void *list) { curl.slist_free_all(list); }

void *raaid_curl_multi_init(void) { return curl.multi_init(); }
void raaid_curl_multi_cleanup(void *multi) { curl.multi_cleanup(multi); }
int raaid_curl_multi_add(void *multi, void *easy) { return curl.multi_add_handle(multi, easy); }
int raaid_curl_multi_remove(void *multi, void *easy) { return curl.multi_remove_handle(multi, easy); }
int raaid_curl_multi_perform(void *multi, int *running) { return curl.multi_perform(multi, running); }
int raaid_curl_multi_poll(void *multi, int timeout_ms) { return curl.multi_poll(multi, NULL, 0, timeout_ms, NULL); }
int raaid_curl_multi_wakeup(void *multi) { return curl.multi_wakeup(multi); }
int raaid_curl_multi_result(void *multi, int *result) {
    int queued = 0;
    raaid_curl_msg *message;
    while ((message = curl.multi_info_read(multi, &queued))) {
        if (message->msg == 1 /* CURLMSG_DONE */) {
            *result = message->data.result;
            return 1;
        }
    }
    return 0;
}
