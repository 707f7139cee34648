/*
 * report_driver.c — runs li_report_main as `lockinstr report` would, for
 * testing the report before (or without) the lockinstr executable:
 * `li_report_driver ARGS...` == `lockinstr report ARGS...`.
 */
#include "report.h"

int main(int argc, char **argv) {
  static char name[] = "report";
  argv[0] = name;
  return li_report_main(argc, argv);
}
