/* libFuzzer target: signatures from bytes, classified under any ABI.
 *
 * Input: the ABI (a byte, modulo their count); how many aggregates to
 * define first (a byte, modulo 4), each from define_from's bytes; the
 * return type (take_type); the argument count and the fixed count (each
 * a signed byte, so negative and too large ones come too); one type per
 * argument. The argument array holds exactly that many, so a read past
 * it is AddressSanitizer's.
 *
 * A refusal must say why, and sb_registry_define must refuse the same. A
 * plan must fit the frame of src/frame.h: every value in a register the
 * ABI names (its slot's offset, index and class agreeing) or inside the
 * stack words the plan copies (nstack, at most SB_STACK_MAX); an
 * aggregate's parts inside its size, at most SB_MAX_PARTS of them; no
 * frame byte taken by two values; no vector register past nvec; a hidden
 * result pointer exactly when the result goes by reference. The registry
 * stores the same plan once; without a registry, a signature of scalars
 * classifies the same. */
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "frame.h"

/* The frame bytes [off, off + size), taken by one value only. */
static void take(uint8_t *used, unsigned off, unsigned size)
{
	MUST(size && off + size <= SB_FRAME_SIZE);
	for (unsigned i = off; i < off + size; i++) {
		MUST(!used[i]);
		used[i] = 1;
	}
}

/* A value or part in a register: its slot in the argument or return
 * registers of its class, a register the ABI has. */
static void check_reg(const struct sb_abi *abi, int is_ret, unsigned where, unsigned index,
		      unsigned offset, unsigned size, uint8_t *used)
{
	struct sb_place r = { .where = (uint8_t)where, .index = (uint16_t)index };
	unsigned base = where == SB_IN_VEC ? (is_ret ? SB_OFF_RET_VEC : SB_OFF_VEC)
					   : (is_ret ? SB_OFF_RET_GPR : SB_OFF_GPR);

	MUST(where == SB_IN_GPR || where == SB_IN_VEC);
	MUST(offset == base + index * SB_WORD && size >= 1 && size <= SB_WORD);
	MUST(sb_abi_reg_name(abi, &r, is_ret) != NULL);
	take(used, offset, SB_WORD);
}

/* A value of size bytes on the stack at byte index, inside the words the
 * plan copies. */
static void check_stack_at(const struct sb_plan *pl, unsigned where, unsigned index,
			   unsigned offset, unsigned size, uint8_t *used)
{
	MUST(where == SB_IN_STACK && offset == SB_OFF_STACK + index);
	MUST(index + size <= pl->nstack * SB_WORD);
	take(used, offset, size);
}

static void check_stack(const struct sb_plan *pl, const struct sb_place *p, unsigned size,
			uint8_t *used)
{
	check_stack_at(pl, p->where, p->index, p->offset, size, used);
}

static void check_gpr_slot(unsigned off, uint8_t *used)
{
	MUST(off >= SB_OFF_GPR && off < SB_OFF_VEC && (off - SB_OFF_GPR) % SB_WORD == 0);
	take(used, off, SB_WORD);
}

static void check_scalar(const struct sb_plan *pl, const struct sb_place *p, int type,
			 int is_ret, uint8_t *used)
{
	unsigned size;

	MUST(type > SB_VOID && type < SB_TYPE_COUNT);
	size = (unsigned)sb_kind_size(p->kind);
	MUST(p->pass == SB_PASS_SCALAR && p->kind == sb_kind_of(pl->abi, type));
	if (p->where == SB_IN_STACK && !is_ret)
		check_stack(pl, p, size, used);
	else
		check_reg(pl->abi, is_ret, p->where, p->index, p->offset, size, used);
	if (p->also) {
		MUST(!is_ret);
		check_gpr_slot(p->also, used);
	}
}

static void check_aggregate(const struct sb_registry *reg, const struct sb_plan *pl,
			    const struct sb_place *p, int type, int is_ret, uint8_t *used)
{
	struct sb_layout l;
	const char *err = NULL;

	MUST(sb_aggregate(reg, type) && sb_type_layout(reg, pl->abi, type, &l, NULL, &err) == 0);
	MUST(p->kind == SB_K_AGG && p->size == l.size && !p->also);
	switch (p->pass) {
	case SB_PASS_EMPTY:
		MUST(l.size == 0);
		break;
	case SB_PASS_PARTS:
		MUST(p->nparts >= 1 && p->nparts <= SB_MAX_PARTS);
		MUST(p->where == p->part[0].where && p->offset == p->part[0].offset);
		for (unsigned i = 0; i < p->nparts; i++) {
			const struct sb_part *q = &p->part[i];

			MUST(q->from + (uint64_t)q->size <= l.size);
			/* Win64 passes an aggregate of 1, 2, 4 or 8 bytes "as an
			 * integer": past the fourth slot, that is a stack slot */
			if (q->where == SB_IN_STACK && !is_ret)
				check_stack_at(pl, q->where, q->index, q->offset, q->size, used);
			else
				check_reg(pl->abi, is_ret, q->where, q->index, q->offset, q->size, used);
		}
		break;
	case SB_PASS_STACK:
		MUST(!is_ret && l.size > 0);
		check_stack(pl, p, l.size, used);
		break;
	case SB_PASS_REF:
		/* a result's address is the hidden pointer, checked with it */
		if (is_ret)
			MUST(pl->ret_ptr >= 0);
		else if (p->where == SB_IN_STACK)
			check_stack(pl, p, SB_WORD, used);
		else
			check_reg(pl->abi, 0, p->where, p->index, p->offset, SB_WORD, used);
		break;
	default:
		MUST(0);
	}
}

static void check_place(const struct sb_registry *reg, const struct sb_plan *pl,
			const struct sb_place *p, int type, int is_ret, uint8_t *used)
{
	if (type >= SB_TYPE_COUNT)
		check_aggregate(reg, pl, p, type, is_ret, used);
	else
		check_scalar(pl, p, type, is_ret, used);
}

static void check_plan(const struct sb_registry *reg, const struct sb_plan *pl,
		       const struct sb_abi *abi, int ret, const int *args, int nargs, int nfixed)
{
	uint8_t used[SB_FRAME_SIZE] = { 0 };

	MUST(pl->abi == abi && pl->ret_type == ret && pl->nargs == nargs && pl->nfixed == nfixed);
	MUST(nargs >= 0 && nargs <= SB_MAX_ARGS && nfixed >= 0 && nfixed <= nargs);
	MUST(pl->nstack <= SB_STACK_MAX && pl->nvec <= SB_VEC_COUNT);
	MUST((pl->ret_ptr >= 0) == (ret >= SB_TYPE_COUNT && pl->ret.pass == SB_PASS_REF));
	if (pl->ret_ptr >= 0)
		check_gpr_slot((unsigned)pl->ret_ptr, used);
	if (ret == SB_VOID)
		MUST(pl->ret.kind == SB_K_VOID);
	else
		check_place(reg, pl, &pl->ret, ret, 1, used);
	for (int i = 0; i < nargs; i++) {
		MUST(pl->arg_type[i] == args[i]);
		check_place(reg, pl, &pl->args[i], args[i], 0, used);
	}
	/* SysV's al: an upper bound of the vector registers used */
	for (unsigned i = pl->nvec; i < SB_VEC_COUNT; i++)
		MUST(!used[SB_OFF_VEC + i * SB_WORD]);
}

static size_t abi_count(void)
{
	size_t n = 0;

	while (sb_abi_at(n))
		n++;
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bytes in = { data, size };
	struct sb_registry reg = { 0 };
	struct sb_plan plan, bare;
	const struct sb_abi *abi = sb_abi_at(take8(&in) % abi_count());
	unsigned naggs = take8(&in) % 4;
	const struct sb_plan *stored;
	const char *err = NULL;
	int ret, nargs, nfixed, *args, rc, scalars;

	for (unsigned i = 0; i < naggs; i++)
		define_from(&reg, &in);
	ret = take_type(&in);
	nargs = (int8_t)take8(&in);
	nfixed = (int8_t)take8(&in);
	args = malloc((nargs > 0 ? (size_t)nargs : 1) * sizeof *args);
	MUST(args);
	scalars = ret < SB_TYPE_COUNT;
	for (int i = 0; i < nargs; i++) {
		args[i] = take_type(&in);
		scalars &= args[i] < SB_TYPE_COUNT;
	}

	rc = sb_classify_in(&reg, abi, ret, args, nargs, nfixed, &plan, &err);
	if (rc)
		MUST(rc == -1 && err && *err);
	else
		check_plan(&reg, &plan, abi, ret, args, nargs, nfixed);

	err = NULL;
	stored = sb_registry_define(&reg, abi, ret, args, nargs, nfixed, &err);
	if (rc) {
		MUST(!stored && err && *err);
	} else {
		MUST(stored && memcmp(stored, &plan, sizeof plan) == 0);
		MUST(sb_registry_define(&reg, abi, ret, args, nargs, nfixed, &err) == stored);
	}

	if (scalars) {
		err = NULL;
		MUST(sb_classify_in(NULL, abi, ret, args, nargs, nfixed, &bare, &err) == rc);
		MUST(rc ? err && *err : memcmp(&bare, &plan, sizeof plan) == 0);
	}
	free(args);
	sb_registry_free(&reg);
	return 0;
}
