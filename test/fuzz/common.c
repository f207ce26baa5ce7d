/* test/fuzz/common.h: the input reader, aggregates from bytes, and the
 * layout invariants. */
#include <stdlib.h>
#include <string.h>

#include "common.h"

#define N(a) (sizeof a / sizeof a[0])

uint8_t take8(struct bytes *in)
{
	if (!in->n)
		return 0;
	in->n--;
	return *in->p++;
}

int take_type(struct bytes *in)
{
	return (int8_t)take8(in);
}

uint32_t pick(struct bytes *in, const uint32_t *table, size_t n)
{
	uint8_t b = take8(in);
	uint32_t v = 0;

	if (b < 0xf0)
		return table[b % n];
	for (int i = 0; i < 4; i++)
		v |= (uint32_t)take8(in) << (8 * i);
	return v;
}

/* what sb_define_aggregate takes, and counts of every size class */
static const uint32_t packs[] = { 0, 1, 2, 4, 8, 16 };
static const uint32_t aligns[] = { 0, 1, 2, 4, 8, 16, 32, 4096 };
static const uint32_t nmembers[] = { 0, 1, 2, 3, 4, 5, 8, 16 };
static const uint32_t counts[] = { 1, 1, 1, 1, 2, 3, 4, 8, 16, 1000 };

static int known_member(const struct sb_registry *reg, int type)
{
	return (type > SB_VOID && type < SB_TYPE_COUNT) || sb_aggregate(reg, type);
}

int define_from(struct sb_registry *reg, struct bytes *in)
{
	uint8_t flags = take8(in);
	uint32_t pack = pick(in, packs, N(packs));
	uint32_t align = pick(in, aligns, N(aligns));
	uint32_t n = pick(in, nmembers, N(nmembers));
	/* past SB_MAX_MEMBERS the API must refuse without reading a member:
	 * it gets none, so AddressSanitizer sees a read */
	uint32_t given = n <= SB_MAX_MEMBERS ? n : 0;
	struct sb_member *m = malloc((given ? given : 1) * sizeof *m);
	size_t before = reg->naggs;
	const char *err = NULL;
	int id;

	MUST(m);
	for (uint32_t i = 0; i < given; i++) {
		m[i].type = take_type(in);
		m[i].count = pick(in, counts, N(counts));
	}
	id = sb_define_aggregate(reg, flags & 1, pack, align, m, n, &err);
	if (id < 0) {
		MUST(id == -1 && err && *err && reg->naggs == before);
	} else {
		const struct sb_agg *g = sb_aggregate(reg, id);

		MUST(id == SB_TYPE_COUNT + (int)before && reg->naggs == before + 1);
		MUST(g && g->is_union == (flags & 1) && g->pack == pack && g->align == align);
		MUST(g->nmembers == n && g->depth >= 1 && g->depth <= SB_MAX_DEPTH);
		for (uint32_t i = 0; i < n; i++) {
			MUST(g->members[i].type == m[i].type && g->members[i].count == m[i].count);
			MUST(m[i].count > 0 && m[i].type < id && known_member(reg, m[i].type));
		}
		check_layout(reg, id);
	}
	free(m);
	return id;
}

void check_layout(const struct sb_registry *reg, int type)
{
	const struct sb_agg *g = sb_aggregate(reg, type);
	uint32_t *at = malloc((g->nmembers ? g->nmembers : 1) * sizeof *at);
	const struct sb_abi *abi;

	MUST(at);
	for (size_t k = 0; (abi = sb_abi_at(k)); k++) {
		struct sb_layout l, again;
		const char *err = NULL;
		uint64_t last = 0, end = 0;
		uint32_t most = 1;

		MUST(sb_type_layout(reg, abi, type, &l, at, &err) == 0);
		MUST(sb_type_layout(reg, abi, type, &again, NULL, &err) == 0);
		MUST(memcmp(&l, &again, sizeof l) == 0);
		MUST(l.align && !(l.align & (l.align - 1)) && l.size % l.align == 0);
		MUST(l.size <= SB_MAX_SIZE);
		for (uint32_t i = 0; i < g->nmembers; i++) {
			struct sb_layout ml;
			uint32_t a;

			MUST(sb_type_layout(reg, abi, g->members[i].type, &ml, NULL, &err) == 0);
			a = g->pack && ml.align > g->pack ? g->pack : ml.align;
			MUST(at[i] % a == 0);
			MUST(g->is_union ? at[i] == 0 : at[i] >= last);
			last = at[i] + (uint64_t)ml.size * g->members[i].count;
			MUST(last <= l.size);
			if (last > end)
				end = last;
			if (a > most)
				most = a;
		}
		MUST(l.member_align == most);
		MUST(l.align == (g->align > most ? g->align : most));
		MUST(l.size - end < l.align);
	}
	free(at);
}
