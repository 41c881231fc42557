namespace SkRerank.VectorStore;

/// <summary>
/// The rows holding one value of an indexed property, kept ascending. Appending a row beyond the last one (the common
/// case: new records get new rows) is immediate; any other change waits in a change set until
/// <see cref="Commit"/>, which applies a whole write batch in one merge. Deleting many rows from a long list thus
/// costs one pass over it, not one array shift per row. Not thread-safe: the storage's write lock guards it.
/// </summary>
internal sealed class PostingList
{
    // Up to this many pending changes are applied one by one (binary search + shift); more are merged in one pass.
    private const int MaxPointChanges = 16;

    private int[] _rows = new int[4];
    private int _count;
    // Row → whether it must end up in the list; the last change of a row in a batch wins.
    private Dictionary<int, bool>? _changes;

    /// <summary>The rows, ascending; valid until the next change. Call only when no change is pending.</summary>
    public RowSet Rows => new(_rows, _count);

    public int Count => _count;

    public bool HasPendingChanges => _changes is { Count: > 0 };

    /// <summary>Adds a row; returns <see langword="true"/> when the change waits for <see cref="Commit"/>.</summary>
    public bool Add(int row)
    {
        if (!HasPendingChanges)
        {
            if (_count > 0 && _rows[_count - 1] == row) return false;
            if (_count == 0 || _rows[_count - 1] < row)
            {
                if (_count == _rows.Length) Array.Resize(ref _rows, _rows.Length * 2);
                _rows[_count++] = row;
                return false;
            }
        }
        (_changes ??= [])[row] = true;
        return true;
    }

    /// <summary>Removes a row; returns <see langword="true"/> when the change waits for <see cref="Commit"/>.</summary>
    public bool Remove(int row)
    {
        if (!HasPendingChanges && _count > 0 && _rows[_count - 1] == row)
        {
            _count--;
            return false;
        }
        (_changes ??= [])[row] = false;
        return true;
    }

    /// <summary>Applies the pending changes.</summary>
    public void Commit()
    {
        if (_changes is not { Count: > 0 } changes) return;
        if (changes.Count <= MaxPointChanges)
        {
            foreach (var (row, present) in changes)
            {
                var at = _rows.AsSpan(0, _count).BinarySearch(row);
                if (present && at < 0) InsertAt(~at, row);
                else if (!present && at >= 0) RemoveAt(at);
            }
        }
        else
        {
            Merge(changes);
        }
        changes.Clear();
        // A burst of changes can leave a large dictionary behind; a later burst allocates its own.
        if (changes.EnsureCapacity(0) > 4 * MaxPointChanges) _changes = null;
    }

    private void InsertAt(int index, int row)
    {
        if (_count == _rows.Length) Array.Resize(ref _rows, _rows.Length * 2);
        Array.Copy(_rows, index, _rows, index + 1, _count - index);
        _rows[index] = row;
        _count++;
    }

    private void RemoveAt(int index)
    {
        Array.Copy(_rows, index + 1, _rows, index, _count - index - 1);
        _count--;
    }

    private void Merge(Dictionary<int, bool> changes)
    {
        var adds = new List<int>();
        var removes = new HashSet<int>();
        var current = _rows.AsSpan(0, _count);
        foreach (var (row, present) in changes)
        {
            var isIn = current.BinarySearch(row) >= 0;
            if (present && !isIn) adds.Add(row);
            else if (!present && isIn) removes.Add(row);
        }
        if (adds.Count == 0 && removes.Count == 0) return;
        adds.Sort();

        var size = _count - removes.Count + adds.Count;
        var merged = new int[Math.Max(4, size + size / 4)];
        int i = 0, j = 0, count = 0;
        while (i < _count || j < adds.Count)
        {
            if (j == adds.Count || (i < _count && _rows[i] < adds[j]))
            {
                var row = _rows[i++];
                if (!removes.Contains(row)) merged[count++] = row;
            }
            else
            {
                merged[count++] = adds[j++];
            }
        }
        _rows = merged;
        _count = count;
    }
}
