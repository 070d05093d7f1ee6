/*
 * natsdl.h - the NATS client (cnats) opened with dlopen() on first use
 * instead of linked.
 *
 * Linked, libnats and what it needs (OpenSSL's two libraries and
 * protobuf-c) were mapped and relocated at the start of every rollcall
 * process: about 4 of the 4.3 million instructions of `rollcall
 * --version`, for the two commands of the thirty that use it (publish
 * and replica).  Include this header instead of <nats/nats.h>: after it
 * each cnats function named below is a call through a pointer that
 * natsdl_load() fills, so the code calling them reads as before.  A
 * function used anywhere must be in the list (the link fails
 * otherwise: libnats is not linked).  Internal to natslink, publish,
 * replica, keyship and pullq.
 */
#ifndef ROLLCALL_NATSDL_H
#define ROLLCALL_NATSDL_H

#include <stddef.h>

#include <nats/nats.h>

/* The library our header describes: its soname is MAJOR.MINOR. */
#ifndef NATSDL_LIB
#define NATSDL_STR2(x) #x
#define NATSDL_STR(x) NATSDL_STR2(x)
#define NATSDL_LIB "libnats.so." NATSDL_STR(NATS_VERSION_MAJOR) "." \
    NATSDL_STR(NATS_VERSION_MINOR)
#endif

#define NATSDL_FUNCS(X) \
	X(jsCtx_Destroy) \
	X(jsMsgMetaData_Destroy) \
	X(jsOptions_Init) \
	X(jsPubOptions_Init) \
	X(jsStreamConfig_Init) \
	X(jsStreamInfo_Destroy) \
	X(jsSubOptions_Init) \
	X(js_AddStream) \
	X(js_CreateKeyValue) \
	X(js_GetMsg) \
	X(js_GetStreamInfo) \
	X(js_KeyValue) \
	X(js_PublishAsync) \
	X(js_PublishAsyncComplete) \
	X(js_PublishMsgAsync) \
	X(js_PullSubscribe) \
	X(kvConfig_Init) \
	X(kvEntry_Destroy) \
	X(kvEntry_Key) \
	X(kvEntry_Value) \
	X(kvEntry_ValueLen) \
	X(kvStore_Destroy) \
	X(kvStore_Get) \
	X(kvStore_Purge) \
	X(kvStore_WatchAll) \
	X(kvWatchOptions_Init) \
	X(kvWatcher_Destroy) \
	X(kvWatcher_Next) \
	X(natsConnection_Close) \
	X(natsConnection_Connect) \
	X(natsConnection_Destroy) \
	X(natsConnection_IsClosed) \
	X(natsConnection_JetStream) \
	X(natsConnection_PublishMsg) \
	X(natsConnection_Status) \
	X(natsMsgHeader_Get) \
	X(natsMsgHeader_Set) \
	X(natsMsgList_Destroy) \
	X(natsMsg_Create) \
	X(natsMsg_Destroy) \
	X(natsMsg_GetData) \
	X(natsMsg_GetDataLength) \
	X(natsMsg_GetMetaData) \
	X(natsMsg_GetSubject) \
	X(natsOptions_Create) \
	X(natsOptions_Destroy) \
	X(natsOptions_SetAllowReconnect) \
	X(natsOptions_SetName) \
	X(natsOptions_SetTimeout) \
	X(natsOptions_SetURL) \
	X(natsStatus_GetText) \
	X(natsSubscription_Destroy) \
	X(natsSubscription_Fetch) \
	X(natsSubscription_Unsubscribe) \
	X(nats_CloseAndWait) \
	X(nats_GetLastError)

/* One pointer per function, of the function's own type. */
#define NATSDL_MEMBER(name) __typeof__(&name) p_##name;
struct natsdl {
	void *lib;
	NATSDL_FUNCS(NATSDL_MEMBER)
};
#undef NATSDL_MEMBER
extern struct natsdl natsdl;

/*
 * Open the library and fill every pointer, once per process (it is
 * never closed: its threads outlive a connection).  0, or -1 with one
 * line in why naming the library and the package to install.
 */
int natsdl_load(char *why, size_t whylen);

/* From here on each name calls through its pointer. */
#define jsCtx_Destroy (*natsdl.p_jsCtx_Destroy)
#define jsMsgMetaData_Destroy (*natsdl.p_jsMsgMetaData_Destroy)
#define jsOptions_Init (*natsdl.p_jsOptions_Init)
#define jsPubOptions_Init (*natsdl.p_jsPubOptions_Init)
#define jsStreamConfig_Init (*natsdl.p_jsStreamConfig_Init)
#define jsStreamInfo_Destroy (*natsdl.p_jsStreamInfo_Destroy)
#define jsSubOptions_Init (*natsdl.p_jsSubOptions_Init)
#define js_AddStream (*natsdl.p_js_AddStream)
#define js_CreateKeyValue (*natsdl.p_js_CreateKeyValue)
#define js_GetMsg (*natsdl.p_js_GetMsg)
#define js_GetStreamInfo (*natsdl.p_js_GetStreamInfo)
#define js_KeyValue (*natsdl.p_js_KeyValue)
#define js_PublishAsync (*natsdl.p_js_PublishAsync)
#define js_PublishAsyncComplete (*natsdl.p_js_PublishAsyncComplete)
#define js_PublishMsgAsync (*natsdl.p_js_PublishMsgAsync)
#define js_PullSubscribe (*natsdl.p_js_PullSubscribe)
#define kvConfig_Init (*natsdl.p_kvConfig_Init)
#define kvEntry_Destroy (*natsdl.p_kvEntry_Destroy)
#define kvEntry_Key (*natsdl.p_kvEntry_Key)
#define kvEntry_Value (*natsdl.p_kvEntry_Value)
#define kvEntry_ValueLen (*natsdl.p_kvEntry_ValueLen)
#define kvStore_Destroy (*natsdl.p_kvStore_Destroy)
#define kvStore_Get (*natsdl.p_kvStore_Get)
#define kvStore_Purge (*natsdl.p_kvStore_Purge)
#define kvStore_WatchAll (*natsdl.p_kvStore_WatchAll)
#define kvWatchOptions_Init (*natsdl.p_kvWatchOptions_Init)
#define kvWatcher_Destroy (*natsdl.p_kvWatcher_Destroy)
#define kvWatcher_Next (*natsdl.p_kvWatcher_Next)
#define natsConnection_Close (*natsdl.p_natsConnection_Close)
#define natsConnection_Connect (*natsdl.p_natsConnection_Connect)
#define natsConnection_Destroy (*natsdl.p_natsConnection_Destroy)
#define natsConnection_IsClosed (*natsdl.p_natsConnection_IsClosed)
#define natsConnection_JetStream (*natsdl.p_natsConnection_JetStream)
#define natsConnection_PublishMsg (*natsdl.p_natsConnection_PublishMsg)
#define natsConnection_Status (*natsdl.p_natsConnection_Status)
#define natsMsgHeader_Get (*natsdl.p_natsMsgHeader_Get)
#define natsMsgHeader_Set (*natsdl.p_natsMsgHeader_Set)
#define natsMsgList_Destroy (*natsdl.p_natsMsgList_Destroy)
#define natsMsg_Create (*natsdl.p_natsMsg_Create)
#define natsMsg_Destroy (*natsdl.p_natsMsg_Destroy)
#define natsMsg_GetData (*natsdl.p_natsMsg_GetData)
#define natsMsg_GetDataLength (*natsdl.p_natsMsg_GetDataLength)
#define natsMsg_GetMetaData (*natsdl.p_natsMsg_GetMetaData)
#define natsMsg_GetSubject (*natsdl.p_natsMsg_GetSubject)
#define natsOptions_Create (*natsdl.p_natsOptions_Create)
#define natsOptions_Destroy (*natsdl.p_natsOptions_Destroy)
#define natsOptions_SetAllowReconnect (*natsdl.p_natsOptions_SetAllowReconnect)
#define natsOptions_SetName (*natsdl.p_natsOptions_SetName)
#define natsOptions_SetTimeout (*natsdl.p_natsOptions_SetTimeout)
#define natsOptions_SetURL (*natsdl.p_natsOptions_SetURL)
#define natsStatus_GetText (*natsdl.p_natsStatus_GetText)
#define natsSubscription_Destroy (*natsdl.p_natsSubscription_Destroy)
#define natsSubscription_Fetch (*natsdl.p_natsSubscription_Fetch)
#define natsSubscription_Unsubscribe (*natsdl.p_natsSubscription_Unsubscribe)
#define nats_CloseAndWait (*natsdl.p_nats_CloseAndWait)
#define nats_GetLastError (*natsdl.p_nats_GetLastError)

#endif
