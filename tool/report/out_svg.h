/*
 * out_svg.h — the inline SVG pictures of the HTML report (out_svg.c):
 * log2 histograms with axes, and the lock-order graph laid out by the tool.
 *
 * Both write SVG elements into an HTML page (no XML prologue, no external
 * reference); every profile name in them is sanitized and HTML-escaped.
 * They return 0, or -1 when an allocation failed (the output is then
 * incomplete and the caller reports out of memory).
 */
#ifndef LI_REPORT_OUT_SVG_H
#define LI_REPORT_OUT_SVG_H

#include <stdio.h>

#include "lockorder.h"
#include "profile.h"

#ifndef LI_SVG_MAX_CLASSES
#define LI_SVG_MAX_CLASSES 60 /* larger graphs are not drawn inline */
#endif

/*
 * Draws the non-empty bucket range of h as a bar chart with a count axis
 * and a duration axis (bucket bounds, every other one labelled, none
 * clipped), titled `what` (static text, not escaped); cls is the CSS class
 * of the bars. An empty histogram is one line of text.
 */
void li_rep_svg_hist(FILE *f, const struct li_hist *h, const char *cls,
                     const char *what);

/*
 * Draws the class graph g: classes on an ellipse in name order (so the
 * picture is the same for the same profile), one curved arrow per class
 * edge labelled with its count and with a tooltip naming its site pairs,
 * cycle edges and their classes in red, same-class nesting as an orange
 * dashed loop. Element ids follow --format dot (nN, eN, cycle_eN,
 * nest_eN). A graph of more than LI_SVG_MAX_CLASSES classes is not drawn
 * (a paragraph says so and points at --format dot).
 */
int li_rep_svg_lock_graph(FILE *f, const struct li_lo_graph *g);

#endif /* LI_REPORT_OUT_SVG_H */
