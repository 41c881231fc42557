namespace SkRerank.VectorStore;

/// <summary>
/// A set of row ids as an ascending array without duplicates: the currency of the <see cref="FilterPlanner"/>.
/// Ascending order is what makes set operations linear merges and what keeps a scan over the rows moving forward
/// through memory. A set may share its array with a <see cref="PostingList"/>, so it is valid only inside the
/// <see cref="CollectionStorage{TKey, TRecord}.Read"/> that produced it.
/// </summary>
internal readonly struct RowSet
{
    private readonly int[]? _rows;

    public RowSet(int[] rows, int count)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, rows.Length);
        _rows = rows;
        Count = count;
    }

    public static RowSet Empty => default;

    public int Count { get; }

    public ReadOnlySpan<int> Span => _rows is null ? [] : _rows.AsSpan(0, Count);

    public bool Contains(int row) => Span.BinarySearch(row) >= 0;

    public static RowSet Intersect(RowSet a, RowSet b)
    {
        if (a.Count > b.Count) (a, b) = (b, a);
        if (a.Count == 0) return Empty;
        var small = a.Span;
        var large = b.Span;
        var result = new int[small.Length];
        var count = 0;
        if ((long)small.Length * 16 < large.Length)
        {
            // Much smaller: look each row up (log n) instead of walking the large set.
            foreach (var row in small)
            {
                var at = large.BinarySearch(row);
                if (at >= 0)
                {
                    result[count++] = row;
                    large = large[(at + 1)..];
                }
                else
                {
                    large = large[~at..];
                }
            }
            return new RowSet(result, count);
        }

        int i = 0, j = 0;
        while (i < small.Length && j < large.Length)
        {
            if (small[i] < large[j]) i++;
            else if (small[i] > large[j]) j++;
            else
            {
                result[count++] = small[i];
                i++;
                j++;
            }
        }
        return new RowSet(result, count);
    }

    public static RowSet Union(RowSet a, RowSet b)
    {
        if (a.Count == 0) return b;
        if (b.Count == 0) return a;
        var x = a.Span;
        var y = b.Span;
        var result = new int[x.Length + y.Length];
        int i = 0, j = 0, count = 0;
        while (i < x.Length && j < y.Length)
        {
            if (x[i] < y[j]) result[count++] = x[i++];
            else if (x[i] > y[j]) result[count++] = y[j++];
            else
            {
                result[count++] = x[i++];
                j++;
            }
        }
        while (i < x.Length) result[count++] = x[i++];
        while (j < y.Length) result[count++] = y[j++];
        return new RowSet(result, count);
    }

    /// <summary>The rows of <paramref name="a"/> that are not in <paramref name="b"/>.</summary>
    public static RowSet Except(RowSet a, RowSet b)
    {
        if (a.Count == 0 || b.Count == 0) return a;
        var x = a.Span;
        var y = b.Span;
        var result = new int[x.Length];
        int i = 0, j = 0, count = 0;
        while (i < x.Length)
        {
            while (j < y.Length && y[j] < x[i]) j++;
            if (j == y.Length || y[j] != x[i]) result[count++] = x[i];
            i++;
        }
        return new RowSet(result, count);
    }
}
