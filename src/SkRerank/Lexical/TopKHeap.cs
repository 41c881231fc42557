namespace SkRerank.Lexical;

/// <summary>
/// Keeps the <c>capacity</c> best (score, id) pairs seen so far in a bounded min-heap, so selecting the top k of n
/// costs O(n log k) instead of a full sort. Higher scores are better; equal scores prefer the lower id, which makes
/// results deterministic. Not thread-safe: parallel scans give each worker its own heap and merge them.
/// </summary>
internal sealed class TopKHeap
{
    private readonly double[] _scores;
    private readonly int[] _ids;
    private int _count;

    public TopKHeap(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        _scores = new double[capacity];
        _ids = new int[capacity];
    }

    public int Count => _count;

    public int Capacity => _scores.Length;

    /// <summary>
    /// Scores below this can never enter the heap; lets a scan skip work without calling <see cref="Add"/>.
    /// </summary>
    public double Floor => _count == _scores.Length && _count > 0 ? _scores[0] : double.NegativeInfinity;

    public void Add(double score, int id)
    {
        if (_scores.Length == 0) return;
        if (_count < _scores.Length)
        {
            // Sift the new entry up from the end.
            var i = _count++;
            while (i > 0)
            {
                var parent = (i - 1) >> 1;
                if (!IsWorse(score, id, _scores[parent], _ids[parent])) break;
                _scores[i] = _scores[parent];
                _ids[i] = _ids[parent];
                i = parent;
            }
            _scores[i] = score;
            _ids[i] = id;
            return;
        }

        // Full: replace the root (the worst kept entry) only when the newcomer beats it.
        if (!IsWorse(_scores[0], _ids[0], score, id)) return;
        SiftDown(score, id);
    }

    public void MergeFrom(TopKHeap other)
    {
        for (var i = 0; i < other._count; i++) Add(other._scores[i], other._ids[i]);
    }

    /// <summary>Returns the kept entries, best first.</summary>
    public (double Score, int Id)[] ToSortedArray()
    {
        var result = new (double Score, int Id)[_count];
        for (var i = 0; i < _count; i++) result[i] = (_scores[i], _ids[i]);
        Array.Sort(result, static (a, b) => IsWorse(a.Score, a.Id, b.Score, b.Id) ? 1 : IsWorse(b.Score, b.Id, a.Score, a.Id) ? -1 : 0);
        return result;
    }

    private void SiftDown(double score, int id)
    {
        var i = 0;
        while (true)
        {
            var child = (i << 1) + 1;
            if (child >= _count) break;
            var right = child + 1;
            if (right < _count && IsWorse(_scores[right], _ids[right], _scores[child], _ids[child])) child = right;
            if (!IsWorse(_scores[child], _ids[child], score, id)) break;
            _scores[i] = _scores[child];
            _ids[i] = _ids[child];
            i = child;
        }
        _scores[i] = score;
        _ids[i] = id;
    }

    private static bool IsWorse(double scoreA, int idA, double scoreB, int idB) =>
        scoreA < scoreB || (scoreA == scoreB && idA > idB);
}
