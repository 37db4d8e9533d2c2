// GNU readline, through one header, for Swift.
#include <stdio.h>
#include <readline/readline.h>
#include <readline/history.h>
