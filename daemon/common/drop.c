// SPDX-License-Identifier: GPL-2.0-only
/* Names of the drop reasons, as n2nctl shows them. */
#include "drop.h"

static const char *const names[DROP_COUNT] = {
	[DROP_MALFORMED] = "malformed",
	[DROP_OVERSIZE] = "oversize",
	[DROP_HEADER_KEY] = "header_key",
	[DROP_STAMP] = "stamp",
	[DROP_PLAIN_ON_HE] = "plaintext_on_encrypted_community",
	[DROP_COMMUNITY] = "community",
	[DROP_NOT_REGISTERED] = "not_registered",
	[DROP_UNKNOWN_SN] = "unknown_supernode",
	[DROP_UNKNOWN_SENDER] = "unknown_sender",
	[DROP_UNKNOWN_DEST] = "unknown_destination",
	[DROP_TTL] = "ttl",
	[DROP_TRANSFORM] = "transform",
	[DROP_DECRYPT] = "decrypt",
	[DROP_FILTERED] = "filtered",
	[DROP_AUTH] = "auth",
	[DROP_UNEXPECTED] = "unexpected",
	[DROP_SEND_FAILED] = "send_failed",
	[DROP_TABLE_FULL] = "table_full",
};

const char *drop_reason_name(enum drop_reason r)
{
	return (unsigned int)r < DROP_COUNT ? names[r] : "unknown";
}
