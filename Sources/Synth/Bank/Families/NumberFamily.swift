/// Problems about one or two integers: digits, multiples below or up to a bound, bases,
/// Fibonacci indexing, rounding to a multiple with a tie rule.
///
/// The facts are off-by-one distinctions (below vs up to and including, 0- vs 1-indexed),
/// the base, and the tie rule: exactly the details a vague request leaves open.
enum NumberFamily {
    static let family = "numbers"

    static func problems() -> [BankProblem] {
        var result: [BankProblem] = [digitSum(), digitProduct(), reverseDigits(), countDivisors(), isPrime(), collatz()]
        for even in [true, false] { result.append(countDigits(even: even)) }
        for (a, b) in [(3, 5), (2, 7), (4, 6)] { for inclusive in [true, false] {
            result.append(multiples(a, b, inclusive: inclusive))
        } }
        for zeroIndexed in [true, false] { result.append(fibonacci(zeroIndexed: zeroIndexed)) }
        for base in [2, 3, 8, 5] { result.append(toBase(base)) }
        for base in [2, 3] { result.append(isPower(base)) }
        for m in [4, 10] { for up in [true, false] { result.append(roundTo(m, tiesUp: up)) } }
        for floor in [true, false] { result.append(integerRoot(floor: floor)) }
        for inclusive in [true, false] { result.append(countDivisibleInRange(inclusive: inclusive)) }
        return result
    }

    static func intInputs(_ id: String, fixed: [Int], range: ClosedRange<Int>) -> [[PyValue]] {
        var draw = InputDraw(id)
        return (fixed + (0..<4).map { _ in draw.int(range) }).map { [PyValue.int($0)] }
    }

    static func digits(_ n: Int) -> [Int] { String(abs(n)).compactMap { $0.wholeNumberValue } }

    static func digitSum() -> BankProblem {
        bankProblem(
            "numbers/digit_sum", family: family, name: "digit_total", params: [("n", "int")], returns: "int",
            sentences: ["Return the sum of the decimal digits of n.", "For a negative n, the minus sign is ignored."],
            facts: [SpecFact(
                phrase: "For a negative n, the minus sign is ignored.", topic: "how negative numbers are handled",
                options: ["ignore the sign", "negate the result"], clarification: "Ignore the sign: use the digits of abs(n).")],
            body: "return sum(int(d) for d in str(abs(n)))", inputs: intInputs("dsum", fixed: [123, -45, 0], range: -999...9999)
        ) { .int(digits($0.int(0)).reduce(0, +)) }
    }

    static func digitProduct() -> BankProblem {
        bankProblem(
            "numbers/digit_product", family: family, name: "digit_product", params: [("n", "int")], returns: "int",
            sentences: ["Return the product of the decimal digits of the non-negative integer n.",
                        "A single-digit n returns itself."],
            facts: [SpecFact(
                phrase: "the product", vague: "the combination", opposite: "the sum", topic: "how to combine the digits",
                options: ["product", "sum"], clarification: "Multiply the digits together.")],
            body: "result = 1\nfor d in str(n):\n    result *= int(d)\nreturn result",
            inputs: intInputs("dprod", fixed: [234, 7, 105], range: 0...9999)
        ) { .int(digits($0.int(0)).reduce(1, *)) }
    }

    static func reverseDigits() -> BankProblem {
        bankProblem(
            "numbers/reverse_digits", family: family, name: "flip_number", params: [("n", "int")], returns: "int",
            sentences: ["Return the integer whose decimal digits are those of n in reverse order.",
                        "The sign of n is kept and leading zeros of the result disappear."],
            facts: [SpecFact(
                phrase: "The sign of n is kept and leading zeros of the result disappear.",
                topic: "what happens to the sign and to leading zeros", options: ["keep the sign", "drop the sign"],
                clarification: "Keep the sign of n; -120 becomes -21.")],
            body: "return int(str(abs(n))[::-1]) * (-1 if str(n).startswith('-') else 1)",
            inputs: intInputs("rev", fixed: [123, -450, 7], range: -5000...5000)
        ) { args in
            let n = args.int(0)
            let reversed = Int(String(String(abs(n)).reversed()))!
            return .int(n < 0 ? -reversed : reversed)
        }
    }

    static func countDivisors() -> BankProblem {
        bankProblem(
            "numbers/count_divisors", family: family, name: "divisor_count", params: [("n", "int")], returns: "int",
            sentences: ["Return how many positive integers divide the positive integer n, including 1 and n itself."],
            facts: [SpecFact(
                phrase: ", including 1 and n itself", vague: ", counting the divisors", omission: "",
                opposite: ", excluding 1 and n itself", topic: "whether 1 and n count as divisors",
                options: ["include them", "exclude them"], clarification: "Count 1 and n themselves.")],
            body: "return sum(1 for d in range(1, n + 1) if n % d == 0)",
            inputs: intInputs("div", fixed: [12, 1, 13], range: 1...200)
        ) { args in let n = args.int(0); return .int((1...n).filter { n % $0 == 0 }.count) }
    }

    static func isPrime() -> BankProblem {
        bankProblem(
            "numbers/is_prime", family: family, name: "check_prime", params: [("n", "int")], returns: "bool",
            sentences: ["Return True if n is a prime number, otherwise False.",
                        "Numbers below 2, including 0, 1 and negatives, are not prime."],
            facts: [SpecFact(
                phrase: "Numbers below 2, including 0, 1 and negatives, are not prime.",
                topic: "what to return for numbers below 2", options: ["False", "an error"],
                clarification: "Return False for any n below 2.")],
            body: "if n < 2:\n    return False\nreturn all(n % d for d in range(2, int(n ** 0.5) + 1))",
            inputs: intInputs("prime", fixed: [7, 1, 9, -3, 2], range: 0...120)
        ) { args in
            let n = args.int(0)
            return .bool(n >= 2 && !(2..<max(n, 3)).contains { $0 * $0 <= n && n % $0 == 0 })
        }
    }

    static func collatz() -> BankProblem {
        bankProblem(
            "numbers/collatz_steps", family: family, name: "steps_to_one", params: [("n", "int")], returns: "int",
            sentences: ["Return how many steps it takes to reach 1 from the positive integer n, where one step halves an even number and turns an odd number k into 3 * k + 1.",
                        "For n equal to 1 the answer is 0."],
            facts: [SpecFact(
                phrase: ", where one step halves an even number and turns an odd number k into 3 * k + 1",
                omission: "", topic: "what one step does", options: ["the Collatz rule"],
                clarification: "One step halves an even number and maps an odd k to 3 * k + 1.")],
            body: "steps = 0\nwhile n != 1:\n    n = n // 2 if n % 2 == 0 else 3 * n + 1\n    steps += 1\nreturn steps",
            inputs: intInputs("collatz", fixed: [6, 1, 7], range: 1...60)
        ) { args in
            var n = args.int(0)
            var steps = 0
            while n != 1 { n = n % 2 == 0 ? n / 2 : 3 * n + 1; steps += 1 }
            return .int(steps)
        }
    }

    static func countDigits(even: Bool) -> BankProblem {
        let which = even ? "even" : "odd"
        return bankProblem(
            "numbers/count_\(which)_digits", family: family, name: "count_\(which)_digits", params: [("n", "int")],
            returns: "int",
            sentences: ["Return how many decimal digits of n are \(which).", "The sign of n is ignored; 0 is an even digit."],
            facts: [SpecFact(
                phrase: "are \(which)", vague: "have a given parity", omission: "qualify", opposite: "are \(even ? "odd" : "even")",
                topic: "which digits to count", options: ["even", "odd"], clarification: "Count the \(which) digits.")],
            body: "return sum(1 for d in str(abs(n)) if int(d) % 2 == \(even ? 0 : 1))",
            inputs: intInputs("cd\(which)", fixed: [2468, -1357, 10], range: -99999...99999)
        ) { .int(digits($0.int(0)).filter { ($0 % 2 == 0) == even }.count) }
    }

    static func multiples(_ a: Int, _ b: Int, inclusive: Bool) -> BankProblem {
        let bound = inclusive ? "from 1 up to and including n" : "strictly below n"
        return bankProblem(
            "numbers/multiples_\(a)_\(b)_\(inclusive ? "upto" : "below")", family: family, name: "sum_of_multiples",
            params: [("n", "int")], returns: "int",
            sentences: ["Return the sum of the positive integers \(bound) that are multiples of \(a) or of \(b).",
                        "A number that is a multiple of both is counted once."],
            facts: [
                SpecFact(
                    phrase: bound, vague: "up to n", omission: "in range",
                    opposite: inclusive ? "strictly below n" : "from 1 up to and including n",
                    topic: "whether n itself is included", options: ["include n", "exclude n"],
                    clarification: inclusive ? "n itself is included." : "n itself is excluded."),
                SpecFact(
                    phrase: "multiples of \(a) or of \(b)", vague: "multiples of some small numbers", omission: "chosen",
                    opposite: "multiples of both \(a) and \(b)", topic: "which multiples to add",
                    options: ["\(a) or \(b)", "both"], clarification: "Add the multiples of \(a) or of \(b).")
            ],
            body: "return sum(k for k in range(1, n\(inclusive ? " + 1" : "")) if k % \(a) == 0 or k % \(b) == 0)",
            inputs: intInputs("mult\(a)\(b)\(inclusive)", fixed: [10, a * b, 1], range: 0...60)
        ) { args in
            let n = args.int(0)
            let upper = inclusive ? n : n - 1
            return .int(upper < 1 ? 0 : (1...upper).filter { $0 % a == 0 || $0 % b == 0 }.reduce(0, +))
        }
    }

    static func fibonacci(zeroIndexed: Bool) -> BankProblem {
        let rule = zeroIndexed ? "The sequence starts fib(0) = 0, fib(1) = 1."
            : "The sequence starts fib(1) = 1, fib(2) = 1, and n is at least 1."
        return bankProblem(
            "numbers/fibonacci_\(zeroIndexed ? "zero" : "one")_indexed", family: family, name: "fib",
            params: [("n", "int")], returns: "int",
            sentences: ["Return the n-th Fibonacci number, where each number is the sum of the two before it.", rule],
            facts: [SpecFact(
                phrase: rule, topic: "how the sequence is indexed", options: ["fib(0) = 0", "fib(1) = 1 as the first"],
                clarification: rule)],
            body: zeroIndexed ? "a, b = 0, 1\nfor _ in range(n):\n    a, b = b, a + b\nreturn a"
                : "a, b = 1, 1\nfor _ in range(n - 1):\n    a, b = b, a + b\nreturn a",
            inputs: intInputs("fib\(zeroIndexed)", fixed: [5, 1, 10], range: 1...30)
        ) { args in
            var (a, b) = zeroIndexed ? (0, 1) : (1, 1)
            for _ in 0..<(zeroIndexed ? args.int(0) : args.int(0) - 1) { (a, b) = (b, a + b) }
            return .int(a)
        }
    }

    static func toBase(_ base: Int) -> BankProblem {
        let name = base == 2 ? "binary" : base == 8 ? "octal" : "base \(base)"
        return bankProblem(
            "numbers/to_base_\(base)", family: family, name: "to_base_\(base)", params: [("n", "int")], returns: "str",
            sentences: ["Return the digits of the non-negative integer n written in base \(base) (\(name)), as a string without a prefix.",
                        "Zero is written as '0'."],
            facts: [SpecFact(
                phrase: "in base \(base) (\(name))", vague: "in another base", omission: "out",
                topic: "which base to use", options: ["base \(base)"], clarification: "Write n in base \(base).")],
            body: "if n == 0:\n    return '0'\ndigits = ''\nwhile n:\n    digits = str(n % \(base)) + digits\n    n //= \(base)\nreturn digits",
            inputs: intInputs("base\(base)", fixed: [10, 0, 64], range: 0...500)
        ) { .str(String($0.int(0), radix: base)) }
    }

    static func isPower(_ base: Int) -> BankProblem {
        bankProblem(
            "numbers/is_power_of_\(base)", family: family, name: "is_power_of_\(base)", params: [("n", "int")],
            returns: "bool",
            sentences: ["Return True if n equals \(base) raised to some integer power of at least 0, otherwise False.",
                        "So 1 counts, and numbers below 1 never do."],
            facts: [SpecFact(
                phrase: "So 1 counts, and numbers below 1 never do.", topic: "whether 1 (the zeroth power) counts",
                options: ["1 counts", "1 does not count"], clarification: "1 counts as \(base) to the power 0.")],
            body: "if n < 1:\n    return False\nwhile n % \(base) == 0:\n    n //= \(base)\nreturn n == 1",
            inputs: intInputs("pow\(base)", fixed: [base * base * base, 1, base * base + 1, 0], range: -3...100)
        ) { args in
            var n = args.int(0)
            guard n >= 1 else { return .bool(false) }
            while n % base == 0 { n /= base }
            return .bool(n == 1)
        }
    }

    static func roundTo(_ m: Int, tiesUp: Bool) -> BankProblem {
        let tie = tiesUp ? "up" : "down"
        let rule = "A value exactly halfway between two multiples rounds \(tie)."
        return bankProblem(
            "numbers/round_to_\(m)_ties_\(tie)", family: family, name: "round_to_multiple", params: [("n", "int")],
            returns: "int",
            sentences: ["Return the multiple of \(m) nearest to the non-negative integer n.", rule],
            facts: [SpecFact(
                phrase: rule, opposite: "A value exactly halfway between two multiples rounds \(tiesUp ? "down" : "up").",
                topic: "how to round a value exactly halfway", options: ["up", "down"], clarification: rule)],
            body: "low = n - n % \(m)\nremainder = n % \(m)\nif remainder * 2 \(tiesUp ? ">=" : ">") \(m):\n    return low + \(m)\nreturn low",
            inputs: intInputs("round\(m)\(tie)", fixed: [m + m / 2, 3 * m + 1, m * 2 + m / 2 + 1, 0, m / 2 + m * 4], range: 0...100)
        ) { args in
            let n = args.int(0)
            let low = n - n % m
            return .int((n % m) * 2 > m || ((n % m) * 2 == m && tiesUp) ? low + m : low)
        }
    }

    static func integerRoot(floor: Bool) -> BankProblem {
        let rule = floor ? "the largest integer whose square is at most n" : "the smallest integer whose square is at least n"
        return bankProblem(
            "numbers/isqrt_\(floor ? "floor" : "ceil")", family: family, name: "whole_root", params: [("n", "int")],
            returns: "int",
            sentences: ["Return the integer square root of the non-negative integer n: \(rule)."],
            facts: [SpecFact(
                phrase: ": \(rule)", omission: "", topic: "whether to round the square root down or up",
                options: ["down", "up"], clarification: "Return \(rule).")],
            body: floor ? "r = 0\nwhile (r + 1) * (r + 1) <= n:\n    r += 1\nreturn r"
                : "r = 0\nwhile r * r < n:\n    r += 1\nreturn r",
            inputs: intInputs("isqrt\(floor)", fixed: [10, 16, 0, 17], range: 0...400)
        ) { args in
            let n = args.int(0)
            var r = 0
            if floor { while (r + 1) * (r + 1) <= n { r += 1 } } else { while r * r < n { r += 1 } }
            return .int(r)
        }
    }

    static func countDivisibleInRange(inclusive: Bool) -> BankProblem {
        let range = inclusive ? "from low to high, both inclusive" : "strictly between low and high"
        return bankProblem(
            "numbers/count_divisible_\(inclusive ? "inclusive" : "exclusive")", family: family, name: "count_divisible",
            params: [("low", "int"), ("high", "int"), ("k", "int")], returns: "int",
            sentences: ["Return how many integers \(range) are divisible by the positive integer k.",
                        "If low is greater than high, return 0."],
            facts: [SpecFact(
                phrase: range, vague: "between low and high", omission: "in the range",
                opposite: inclusive ? "strictly between low and high" : "from low to high, both inclusive",
                topic: "whether low and high themselves are included", options: ["inclusive", "exclusive"],
                clarification: inclusive ? "Both low and high are included." : "Neither low nor high is included.")],
            body: inclusive ? "return sum(1 for x in range(low, high + 1) if x % k == 0)"
                : "return sum(1 for x in range(low + 1, high) if x % k == 0)",
            inputs: [[3, 12, 3], [10, 20, 5], [5, 1, 2], [0, 0, 1], [-6, 6, 3], [7, 7, 7], [1, 30, 4]]
        ) { args in
            let (low, high, k) = (args.int(0), args.int(1), args.int(2))
            let lo = inclusive ? low : low + 1, hi = inclusive ? high : high - 1
            return .int(lo > hi ? 0 : (lo...hi).filter { pyMod($0, k) == 0 }.count)
        }
    }
}
