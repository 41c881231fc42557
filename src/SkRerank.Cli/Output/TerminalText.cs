using System.Text;

namespace SkRerank.Cli.Output;

/// <summary>
/// Makes text from queries and data safe to print on a terminal: control characters (ESC, BEL, CR, backspace, C1
/// controls…) are shown as visible symbols instead of being executed, so a query or a movie title cannot clear,
/// recolour or rewrite the user's terminal. JSON output is not passed through this: it stays exact.
/// </summary>
internal static class TerminalText
{
    public static string Neutralize(string? text)
    {
        if (string.IsNullOrEmpty(text)) return text ?? "";
        if (!NeedsWork(text)) return text;
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            builder.Append(c switch
            {
                // C0 controls become their Unicode "control picture" (ESC → ␛, BEL → ␇), DEL → ␡.
                < ' ' => (char)(0x2400 + c),
                '\u007f' => '\u2421',
                // C1 controls (0x80–0x9F, e.g. the one-byte CSI) and bidirectional overrides that reorder what is shown.
                >= '\u0080' and <= '\u009f' => '\ufffd',
                '\u202a' or '\u202b' or '\u202c' or '\u202d' or '\u202e' or '\u2066' or '\u2067' or '\u2068' or '\u2069' => '\ufffd',
                _ => c,
            });
        }
        return builder.ToString();
    }

    private static bool NeedsWork(string text)
    {
        foreach (var c in text)
        {
            if (c < ' ' || c is >= '\u007f' and <= '\u009f' || c is >= '\u202a' and <= '\u202e' || c is >= '\u2066' and <= '\u2069') return true;
        }
        return false;
    }
}
