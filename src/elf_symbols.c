/* Which symbols a library defines that the running executable exports
 * too: the loader binds the library's own uses of those to the program's
 * copy (symbol interposition; README, "Libraries node already contains").
 *
 * Read where the loader has mapped both, through their dynamic sections:
 * the library's .dynsym, each of its definitions looked up in the
 * executable as the loader would, through the executable's .gnu.hash, so
 * that no table of node's ~70,000 names is built and no file is read.
 * The loader has used these tables to bind both objects: they are trusted. */
#include <elf.h>
#include <link.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "elf_symbols.h"

/* an object's tables, from its dynamic section */
struct image {
	const ElfW(Sym) *sym;
	const char *str;
	const uint32_t *gnu_hash;	/* NULL: none */
	const ElfW(Word) *hash;		/* the SysV table, NULL: none */
};

/* .gnu.hash's bloom filter words are addresses wide */
#define BLOOM_BITS (sizeof(ElfW(Addr)) * 8)

/* An address in the dynamic section: glibc rewrites the entries of a
 * loaded object as addresses, musl leaves them offsets from its base. An
 * offset is the smaller: an object's own addresses start near 0, far
 * below where a shared object is mapped (an executable not built as PIE
 * has base 0, and both are the same). */
static const void *at(const struct link_map *m, ElfW(Addr) p)
{
	return (const void *)(p < m->l_addr ? m->l_addr + p : p);
}

static struct image image_of(const struct link_map *m)
{
	struct image im = { 0 };

	for (const ElfW(Dyn) *d = m->l_ld; d->d_tag != DT_NULL; d++) {
		if (d->d_tag == DT_SYMTAB)
			im.sym = at(m, d->d_un.d_ptr);
		else if (d->d_tag == DT_STRTAB)
			im.str = at(m, d->d_un.d_ptr);
		else if (d->d_tag == DT_GNU_HASH)
			im.gnu_hash = at(m, d->d_un.d_ptr);
		else if (d->d_tag == DT_HASH)
			im.hash = at(m, d->d_un.d_ptr);
	}
	return im;
}

/* .gnu.hash: nbuckets, symoffset, bloom words, bloom shift, the bloom
 * words, the buckets, then one hash value per symbol from symoffset on,
 * the last of each chain with its low bit set (glibc, elf/dl-lookup.c). */
#define GNU_BLOOM(h) ((const ElfW(Addr) *)((h) + 4))
#define GNU_BUCKETS(h) ((const uint32_t *)(GNU_BLOOM(h) + (h)[2]))
#define GNU_CHAIN(h) (GNU_BUCKETS(h) + (h)[0])

/* How many symbols the object has: the SysV table says; the GNU one, by
 * the end of its last chain. */
static size_t count_symbols(const struct image *im)
{
	const uint32_t *h = im->gnu_hash, *buckets, *chain;
	uint32_t last = 0;

	if (!h)
		return im->hash ? im->hash[1] : 0;
	buckets = GNU_BUCKETS(h);
	chain = GNU_CHAIN(h);
	for (uint32_t b = 0; b < h[0]; b++)
		if (buckets[b] > last)
			last = buckets[b];
	if (last < h[1])
		return h[1];
	while (!(chain[last - h[1]] & 1))
		last++;
	return (size_t)last + 1;
}

/* the loader's hash of a name: h * 33 + c from 5381 */
static uint32_t gnu_hash(const char *s)
{
	uint32_t h = 5381;

	for (; *s; s++)
		h = h * 33 + (unsigned char)*s;
	return h;
}

/* Whether the executable defines name: the bloom filter turns away almost
 * every name it lacks; a match of hash values is checked by name (the
 * table holds undefined functions too, those whose address it takes). */
static int defines(const struct image *x, const char *name)
{
	const uint32_t *h = x->gnu_hash, *chain = GNU_CHAIN(h);
	uint32_t hv = gnu_hash(name), symoffset = h[1];
	ElfW(Addr) word = GNU_BLOOM(h)[(hv / BLOOM_BITS) % h[2]];

	if (!((word >> (hv % BLOOM_BITS)) & (word >> ((hv >> h[3]) % BLOOM_BITS)) & 1))
		return 0;
	for (uint32_t i = GNU_BUCKETS(h)[hv % h[0]]; i >= symoffset; i++) {
		uint32_t c = chain[i - symoffset];

		if ((c | 1) == (hv | 1) && x->sym[i].st_shndx != SHN_UNDEF &&
		    strcmp(x->str + x->sym[i].st_name, name) == 0)
			return 1;
		if (c & 1)
			break;
	}
	return 0;
}

/* A symbol the library defines for others, the only kind the program's
 * can stand in for: defined, global or weak, default visibility (a
 * protected one binds to itself), a function or an object. */
static int exported(const ElfW(Sym) *s)
{
	/* ELF64_ST_*: the same as ELF32_ST_* */
	int bind = ELF64_ST_BIND(s->st_info), type = ELF64_ST_TYPE(s->st_info);

	return s->st_shndx != SHN_UNDEF && ELF64_ST_VISIBILITY(s->st_other) == STV_DEFAULT &&
	       (bind == STB_GLOBAL || bind == STB_WEAK) &&
	       (type == STT_FUNC || type == STT_OBJECT || type == STT_GNU_IFUNC);
}

/* name among the largest SB_DL_SHOWN so far, largest first */
static void rank(struct sb_dl_interposed *found, ElfW(Xword) sizes[SB_DL_SHOWN],
		 const char *name, ElfW(Xword) size)
{
	size_t n = found->count < SB_DL_SHOWN ? found->count : SB_DL_SHOWN, at = n;

	while (at > 0 && size > sizes[at - 1])
		at--;
	if (at == SB_DL_SHOWN)
		return;
	if (n == SB_DL_SHOWN)
		n--;
	memmove(&sizes[at + 1], &sizes[at], (n - at) * sizeof sizes[0]);
	memmove(found->names[at + 1], found->names[at], (n - at) * sizeof found->names[0]);
	sizes[at] = size;
	snprintf(found->names[at], sizeof found->names[at], "%s", name);
}

void sb_elf_interposed(const struct link_map *program, const struct link_map *lib,
		       struct sb_dl_interposed *found)
{
	struct image x = image_of(program), l = image_of(lib);
	size_t n = count_symbols(&l);
	ElfW(Xword) sizes[SB_DL_SHOWN];

	found->count = 0;
	if (!x.gnu_hash || !x.sym || !x.str || !l.sym || !l.str)
		return;
	for (size_t i = 1; i < n; i++) {
		const ElfW(Sym) *s = &l.sym[i];

		if (exported(s) && defines(&x, l.str + s->st_name)) {
			rank(found, sizes, l.str + s->st_name, s->st_size);
			found->count++;
		}
	}
}
