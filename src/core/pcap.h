/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * pcap files with nanosecond timestamps (libpcap's format with magic
 * 0xa1b23c4d, version 2.4), built in memory: what tcpdump -r, tshark and
 * Wireshark read. Always written little-endian, whatever the host: the
 * magic tells readers the byte order, and the bytes stay the same on
 * every machine (the unit test checks them).
 */
#ifndef IOV_CORE_PCAP_H
#define IOV_CORE_PCAP_H

#include <stddef.h>
#include <stdint.h>

#include "util/strbuf.h"

#define PCAP_MAGIC_NSEC 0xa1b23c4du
#define PCAP_LINKTYPE_ETHERNET 1
#define PCAP_FILE_HDR_LEN 24
#define PCAP_REC_HDR_LEN 16

/* Append the 24-byte file header: snaplen bounds every record's caplen. */
void pcap_write_header(struct strbuf *sb, uint32_t snaplen,
		       uint32_t linktype);

/*
 * Append one record: t_ns (ns since the epoch; before 1970 or after 2106
 * does not fit and is clamped), caplen bytes of data, of a frame that
 * had len bytes on the wire (len >= caplen; a smaller len is raised).
 */
void pcap_write_record(struct strbuf *sb, int64_t t_ns, const void *data,
		       uint32_t caplen, uint32_t len);

#endif
