/* ctype.h — libc-builtin sysroot: ASCII ("C" locale) character classes. */
#ifndef _WEFT_CTYPE_H
#define _WEFT_CTYPE_H
#include "_weft_cdefs.h"

_WEFT_BEGIN
int isalnum(int c);
int isalpha(int c);
int isblank(int c);
int iscntrl(int c);
int isdigit(int c);
int isgraph(int c);
int islower(int c);
int isprint(int c);
int ispunct(int c);
int isspace(int c);
int isupper(int c);
int isxdigit(int c);
int tolower(int c);
int toupper(int c);
_WEFT_END

#endif
