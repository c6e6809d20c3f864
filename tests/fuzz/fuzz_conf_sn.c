// SPDX-License-Identifier: GPL-2.0-only
/*
 * Fuzz target: the supernode's config file and command line
 * (daemon/conf/conf_file.c, conf_sn.c), through sn_conf_parse_env as
 * main_supernode.c calls it; a -c the input names is loaded too. The
 * input's layout is in conf_args.h.
 */
#define FUZZ_CONF  struct sn_conf
#define FUZZ_PARSE sn_conf_parse_env
#define FUZZ_FREE  sn_conf_free
#include "conf_args.h"
