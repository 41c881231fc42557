using System.Globalization;
using System.Text;

namespace SkRerank.Movies;

/// <summary>Compares director names the way people type them: no case, no accents, any whole word or word prefix.</summary>
internal static class DirectorName
{
    /// <summary>Lower case without diacritics ("Alejandro González Iñárritu" → "alejandro gonzalez inarritu").</summary>
    public static string Fold(string name)
    {
        var decomposed = name.Trim().Normalize(NormalizationForm.FormD);
        var builder = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark) builder.Append(char.ToLowerInvariant(c));
        }
        return builder.ToString();
    }

    /// <summary>
    /// Whether <paramref name="folded"/> (already <see cref="Fold"/>ed) is a part of <paramref name="name"/> that
    /// starts at a word: "nolan" and "christopher nol" match "Christopher Nolan", "olan" does not.
    /// </summary>
    public static bool Contains(string name, string folded)
    {
        if (folded.Length == 0) return false;
        var candidate = Fold(name);
        for (var at = candidate.IndexOf(folded, StringComparison.Ordinal); at >= 0; at = candidate.IndexOf(folded, at + 1, StringComparison.Ordinal))
        {
            if (at == 0 || !char.IsLetterOrDigit(candidate[at - 1])) return true;
        }
        return false;
    }

    /// <summary>The names closest to <paramref name="folded"/> by edit distance, against the whole name or any word of it.</summary>
    public static IReadOnlyList<string> Closest(string folded, IEnumerable<string> names, int count)
    {
        // A typo costs about one edit per four letters; beyond that a suggestion is noise.
        var limit = Math.Max(2, folded.Length / 3);
        return names
            .Select(name => (Name: name, Distance: Distance(folded, Fold(name))))
            .Where(x => x.Distance <= limit)
            .OrderBy(x => x.Distance).ThenBy(x => x.Name, StringComparer.Ordinal)
            .Take(count)
            .Select(x => x.Name)
            .ToList();
    }

    private static int Distance(string wanted, string name)
    {
        var best = Levenshtein(wanted, name);
        foreach (var word in name.Split(' ', StringSplitOptions.RemoveEmptyEntries)) best = Math.Min(best, Levenshtein(wanted, word));
        return best;
    }

    private static int Levenshtein(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++) previous[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
