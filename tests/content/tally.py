"""tally: what every content check prints, one line per check ("ok   NAME"
or "FAIL NAME" with its detail) and "N passed, M failed" at the end, the
form tests/content/run.py reads."""
passed = failed = 0


def result(ok, name, detail=""):
    global passed, failed
    if ok:
        passed += 1
        print("ok   " + name)
    else:
        failed += 1
        print("FAIL " + name + (("\n     " + detail) if detail else ""))


def summary():
    """Prints the totals; the exit status for them."""
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0
