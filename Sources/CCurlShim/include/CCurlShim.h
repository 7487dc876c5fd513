// libcurl, loaded at run time for model requests (Sources/Phases/Providers/CurlTransport.swift).
//
// Why not URLSession: on Linux (swift-corelibs-foundation, Swift 6.3) a request whose answer is pending keeps a
// core ~70 % busy (its dispatch write source fires in a loop), and linking FoundationNetworking makes every raaid
// process load libcurl and its dozen dependencies at start-up, model or not. Loading libcurl with dlopen costs
// nothing until a model is called. Typed wrappers stand in for curl_easy_setopt/getinfo, which are variadic.
#ifndef CCURLSHIM_H
#define CCURLSHIM_H

#include <stddef.h>

typedef size_t (*raaid_curl_data_callback)(char *data, size_t size, size_t count, void *context);

// Loads libcurl once (libcurl.so.4, then libcurl-gnutls.so.4) and initialises it. 0 on success; otherwise
// writes why into `error`.
int raaid_curl_load(char *error, size_t error_size);

void *raaid_curl_easy_init(void);
void raaid_curl_easy_cleanup(void *easy);
int raaid_curl_setopt_long(void *easy, int option, long value);
int raaid_curl_setopt_pointer(void *easy, int option, const void *value);
int raaid_curl_setopt_offset(void *easy, int option, long long value);
int raaid_curl_setopt_callback(void *easy, int option, raaid_curl_data_callback callback);
long raaid_curl_response_code(void *easy);
const char *raaid_curl_strerror(int code);

void *raaid_curl_slist_append(void *list, const char *string);
void raaid_curl_slist_free_all(void *list);

void *raaid_curl_multi_init(void);
void raaid_curl_multi_cleanup(void *multi);
int raaid_curl_multi_add(void *multi, void *easy);
int raaid_curl_multi_remove(void *multi, void *easy);
int raaid_curl_multi_perform(void *multi, int *running);
int raaid_curl_multi_poll(void *multi, int timeout_ms);
int raaid_curl_multi_wakeup(void *multi);
// The result code of the finished transfer, if curl_multi_info_read has one: 1 and *result set, else 0.
int raaid_curl_multi_result(void *multi, int *result);

// Option numbers (curl.h, stable across libcurl 7 and 8).
#define RAAID_CURLOPT_WRITEDATA 10001
#define RAAID_CURLOPT_URL 10002
#define RAAID_CURLOPT_ERRORBUFFER 10010
#define RAAID_CURLOPT_USERAGENT 10018
#define RAAID_CURLOPT_CAINFO 10065
#define RAAID_CURLOPT_POSTFIELDS 10015
#define RAAID_CURLOPT_HTTPHEADER 10023
#define RAAID_CURLOPT_HEADERDATA 10029
#define RAAID_CURLOPT_WRITEFUNCTION 20011
#define RAAID_CURLOPT_HEADERFUNCTION 20079
#define RAAID_CURLOPT_POST 47
#define RAAID_CURLOPT_NOSIGNAL 99
#define RAAID_CURLOPT_CONNECTTIMEOUT_MS 156
#define RAAID_CURLOPT_TCP_KEEPALIVE 213
#define RAAID_CURLOPT_SUPPRESS_CONNECT_HEADERS 265
#define RAAID_CURLOPT_POSTFIELDSIZE_LARGE 30120
#define RAAID_CURL_ERROR_SIZE 256

#endif
