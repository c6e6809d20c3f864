// SPDX-License-Identifier: GPL-2.0-only
/* Fuzz target: the QUERY_PEER decoder (see decode_msg.h). */
#define FUZZ_MSG_TYPE N2N_MSG_QUERY_PEER
#include "decode_msg.h"
