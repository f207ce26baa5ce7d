/* libFuzzer target: struct and union layouts from bytes, nested.
 *
 * Input: aggregates one after another, each from define_from's bytes
 * (test/fuzz/common.h), until the input runs out or SB_MAX_DEPTH + 8 of
 * them are defined, so a member can name any one before it and nesting
 * reaches the depth limit; every definition is checked there (the
 * description kept, the layout under every ABI consistent). Then every
 * id from below void to past the last aggregate is asked for its layout
 * under every ABI: a known type gives one (an aggregate's the same as
 * before), anything else a refusal that says why. */
#include "common.h"

#define MAX_DEFS (SB_MAX_DEPTH + 8)

static void check_ids(const struct sb_registry *reg)
{
	const struct sb_abi *abi;

	for (size_t k = 0; (abi = sb_abi_at(k)); k++) {
		for (int t = -2; t < SB_TYPE_COUNT + (int)reg->naggs + 2; t++) {
			const struct sb_agg *g = sb_aggregate(reg, t);
			struct sb_layout l;
			const char *err = NULL;
			int known = (t > SB_VOID && t < SB_TYPE_COUNT) || g;
			int rc = sb_type_layout(reg, abi, t, &l, NULL, &err);

			MUST(known ? rc == 0 : rc == -1 && err && *err);
			MUST(!g == (t < SB_TYPE_COUNT || t >= SB_TYPE_COUNT + (int)reg->naggs));
			if (rc == 0 && !g)
				MUST(l.size == sb_type_size(abi, (enum sb_type)t) && l.align == l.size);
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bytes in = { data, size };
	struct sb_registry reg = { 0 };

	for (int i = 0; i < MAX_DEFS && in.n; i++) {
		int id = define_from(&reg, &in);

		/* a member's depth is below its aggregate's */
		if (id >= 0) {
			const struct sb_agg *g = sb_aggregate(&reg, id);
			uint16_t deepest = 0;

			for (uint32_t j = 0; j < g->nmembers; j++) {
				const struct sb_agg *m = sb_aggregate(&reg, g->members[j].type);

				if (m && m->depth > deepest)
					deepest = m->depth;
			}
			MUST(g->depth == deepest + 1);
		}
	}
	for (size_t i = 0; i < reg.naggs; i++)
		check_layout(&reg, SB_TYPE_COUNT + (int)i);
	check_ids(&reg);
	sb_registry_free(&reg);
	return 0;
}
