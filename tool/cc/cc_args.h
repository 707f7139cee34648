/*
 * cc_args.h — what a compiler command line asks for, as lockinstr-cc sees it.
 *
 * lockinstr-cc sits in front of a gcc/clang-compatible driver. Before it can
 * instrument anything it must know what the command does: compile C sources
 * to objects (-c), compile and/or link, or something it must leave alone
 * (-E, -S, -M, --version, assembly, no inputs, ...). li_cc_classify() reads
 * the driver's arguments once, the way the driver itself would (options that
 * take a separate value, -x language switches, response files), and records
 * which arguments are C sources to instrument, which are driver-only
 * (output, dependency files, link flags: not for the rewriter), and where
 * the dependency file goes.
 */
#ifndef LI_CC_ARGS_H
#define LI_CC_ARGS_H

/* What the command does, from lockinstr-cc's point of view. */
enum li_cc_mode {
  LI_CC_PASS,    /* run the compiler unchanged */
  LI_CC_COMPILE, /* -c: compile sources to objects, no link */
  LI_CC_LINK     /* link (possibly compiling sources first) */
};

/* A classified compiler command line. Owns argv (after @file expansion). */
struct li_cc_cmd {
  int argc;              /* arguments after the compiler, argv[0] excluded */
  char **argv;           /* the driver's arguments, response files expanded */
  enum li_cc_mode mode;  /* see enum li_cc_mode */
  int *c_inputs;         /* indices into argv of C sources to instrument */
  int n_c_inputs;        /* number of them */
  unsigned char *driver; /* per argv index: 1 = input or driver-only flag,
                            not given to the rewriter */
  const char *output;    /* the -o argument, or NULL */
  const char *depfile;   /* -MF / -Wp,-MD,FILE argument, or NULL */
  int depgen;            /* -MD/-MMD (or -Wp,-MD) asked for a dependency file */
  int phony;             /* -MP: an empty rule per prerequisite */
  int no_runtime;        /* -nostdlib or -r: never add the runtime */
  const char *x_lang;    /* the -x language still in effect after the last
                            argument (NULL: none, or -x none): a file the
                            launcher appends must follow `-x none` */
  int n_streams;         /* inputs read from stdin or a device (`-`,
                            /dev/stdin, /dev/null): never instrumented */
  const char *why_pass;  /* for LI_CC_PASS: the reason, for --verbose */
};

/*
 * Classifies the driver arguments argv[0..argc-1] (the compiler's own name
 * not included) into cmd. Response files (@FILE) are expanded in place;
 * an unreadable one is kept as is and forces LI_CC_PASS. Returns 0, or -1
 * when out of memory (cmd is then freed). Never prints.
 */
int li_cc_classify(int argc, char **argv, struct li_cc_cmd *cmd);

/* Frees what li_cc_classify() allocated. */
void li_cc_cmd_free(struct li_cc_cmd *cmd);

/* Returns 1 if input PATH is a stream rather than a source file: `-`
 * (stdin) or a device under /dev/ (/dev/stdin, /dev/null, /dev/fd/N).
 * Such inputs are compiled as they are: they cannot be read twice. */
int li_cc_is_stream(const char *path);

/* Returns 1 if PATH names a C source by its suffix (.c), else 0. */
int li_cc_is_c_suffix(const char *path);

#endif /* LI_CC_ARGS_H */
