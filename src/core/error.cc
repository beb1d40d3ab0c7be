#include "core/error.h"

namespace custody {

int ExitCodeFor(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kVerification:
      return 1;
    case ErrorKind::kInput:
    case ErrorKind::kInternal:
      return 2;
  }
  return 2;
}

}  // namespace custody
