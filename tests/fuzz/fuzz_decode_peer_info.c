// SPDX-License-Identifier: GPL-2.0-only
/* Fuzz target: the PEER_INFO decoder (see decode_msg.h). */
#define FUZZ_MSG_TYPE N2N_MSG_PEER_INFO
#include "decode_msg.h"
