using SkRerank.Lexical;

namespace SkRerank.VectorStore;

/// <summary>The type-erased face of a stored collection, so one registry can hold collections of any record type.</summary>
internal abstract class CollectionStorage
{
    public abstract Type KeyType { get; }

    public abstract Type RecordType { get; }

    /// <summary>See <see cref="RecordModel{TRecord}.Signature"/>.</summary>
    public abstract string Signature { get; }
}

/// <summary>
/// The data of one collection: a row per record (key, a vector-less copy of the record, and one
/// <see cref="VectorColumn"/> entry per vector property), rows recycled through a free list, and an optional BM25
/// index over the full-text properties. A <see cref="ReaderWriterLockSlim"/> makes every read (get, search) see one
/// consistent state while writes (upsert, delete) are exclusive.
/// </summary>
internal sealed class CollectionStorage<TKey, TRecord> : CollectionStorage, IDisposable
    where TKey : notnull
    where TRecord : class
{
    // Below this many floats per scan (~1 MiB), a parallel scan costs more in scheduling than it saves.
    private const long ParallelScanMinFloats = 1 << 18;

    private readonly Dictionary<TKey, int> _rowsByKey = [];
    private readonly Stack<int> _freeRows = new();
    private readonly VectorColumn[] _columns;
    private TRecord?[] _records = new TRecord?[16];
    private TKey?[] _keys = new TKey?[16];
    private int _rowCount;
    private volatile Bm25Index<int>? _lexical;

    public CollectionStorage(RecordModel<TRecord> model)
    {
        Model = model;
        _columns = model.VectorFields.Select(f => new VectorColumn(f.Dimensions)).ToArray();
    }

    /// <summary>The model the collection was created with; collections sharing this storage have the same signature.</summary>
    public RecordModel<TRecord> Model { get; }

    public ReaderWriterLockSlim Lock { get; } = new(LockRecursionPolicy.NoRecursion);

    public override Type KeyType => typeof(TKey);

    public override Type RecordType => typeof(TRecord);

    public override string Signature => Model.Signature;

    /// <summary>The number of records. Call under the lock.</summary>
    public int Count => _rowsByKey.Count;

    /// <summary>A record ready to be written: its key, its vector-less copy and its vectors, validated.</summary>
    public readonly record struct PreparedRecord(TKey Key, TRecord Copy, ReadOnlyMemory<float>?[] Vectors);

    /// <summary>Writes records, replacing those with equal keys. Call under the write lock.</summary>
    public void Write(IReadOnlyList<PreparedRecord> records)
    {
        foreach (var record in records)
        {
            if (!_rowsByKey.TryGetValue(record.Key, out var row))
            {
                row = _freeRows.Count > 0 ? _freeRows.Pop() : _rowCount++;
                if (row >= _records.Length)
                {
                    Array.Resize(ref _records, _records.Length * 2);
                    Array.Resize(ref _keys, _keys.Length * 2);
                }
                _rowsByKey[record.Key] = row;
                _keys[row] = record.Key;
            }
            _records[row] = record.Copy;
            for (var i = 0; i < _columns.Length; i++)
            {
                if (record.Vectors[i] is { } vector) _columns[i].Set(row, vector.Span);
                else _columns[i].Clear(row);
            }
            _lexical?.AddOrUpdate(row, FullText(record.Copy));
        }
    }

    /// <summary>Deletes records by key; missing keys are ignored. Call under the write lock.</summary>
    public void Delete(IEnumerable<TKey> keys)
    {
        foreach (var key in keys)
        {
            if (!_rowsByKey.Remove(key, out var row)) continue;
            _records[row] = null;
            _keys[row] = default;
            foreach (var column in _columns) column.Clear(row);
            _lexical?.Remove(row);
            _freeRows.Push(row);
        }
    }

    /// <summary>Finds the row of a key. Call under the lock.</summary>
    public bool TryGetRow(TKey key, out int row) => _rowsByKey.TryGetValue(key, out row);

    /// <summary>The rows in use, in row order. Call under the lock.</summary>
    public IEnumerable<int> Rows()
    {
        for (var row = 0; row < _rowCount; row++)
        {
            if (_records[row] is not null) yield return row;
        }
    }

    /// <summary>The stored (vector-less) record of a row in use; never hand it out. Call under the lock.</summary>
    public TRecord StoredRecord(int row) => _records[row]!;

    /// <summary>Returns a fresh copy of a row's record for a caller, with or without its vectors. Call under the lock.</summary>
    public TRecord Materialize(int row, bool includeVectors)
    {
        var copy = Model.CopyKeyAndData(_records[row]!);
        if (includeVectors)
        {
            for (var i = 0; i < _columns.Length; i++)
                Model.VectorFields[i].Write(copy, _columns[i].IsPresent(row) ? _columns[i].CopyRow(row) : null);
        }
        return copy;
    }

    /// <summary>
    /// Scores every row that has a vector in <paramref name="vectorIndex"/> and passes <paramref name="filter"/> (checked
    /// before scoring, so filtered-out rows cost no vector math) and <paramref name="threshold"/>, and keeps the
    /// <paramref name="capacity"/> best in a bounded heap. Large collections are split across cores. Call under the
    /// read lock; worker threads rely on the caller holding it.
    /// </summary>
    /// <returns>The kept rows with their reported scores, best first.</returns>
    public (double Score, int Row)[] Scan(int vectorIndex, float[] preparedQuery, Func<TRecord, bool>? filter, double? threshold, int capacity, int maxDegreeOfParallelism)
    {
        var column = _columns[vectorIndex];
        var kind = Model.VectorFields[vectorIndex].Distance;
        capacity = Math.Min(capacity, _rowsByKey.Count);
        if (capacity == 0) return [];

        var workers = Math.Min(maxDegreeOfParallelism, Environment.ProcessorCount);
        if (workers > 1 && (long)_rowCount * column.Dimensions < ParallelScanMinFloats * workers) workers = 1;

        TopKHeap heap;
        if (workers <= 1)
        {
            heap = ScanRange(0, _rowCount, column, kind, preparedQuery, filter, threshold, capacity);
        }
        else
        {
            // Contiguous row ranges keep each worker's reads sequential.
            var heaps = new TopKHeap[workers];
            var rowsPerWorker = (_rowCount + workers - 1) / workers;
            Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, w =>
            {
                var from = w * rowsPerWorker;
                heaps[w] = ScanRange(from, Math.Min(_rowCount, from + rowsPerWorker), column, kind, preparedQuery, filter, threshold, capacity);
            });
            heap = heaps[0];
            for (var w = 1; w < workers; w++) heap.MergeFrom(heaps[w]);
        }

        // The heap ranks by "higher is better"; distances were negated going in and are flipped back here.
        var sign = kind.HigherIsBetter() ? 1.0 : -1.0;
        return heap.ToSortedArray().Select(e => (sign * e.Score, e.Id)).ToArray();
    }

    /// <summary>
    /// Returns the BM25 index of the full-text properties, building it on first use (later writes keep it in sync).
    /// Built lazily so that collections never keyword-searched pay nothing for analysis on upsert. Call without the lock.
    /// </summary>
    public Bm25Index<int> EnsureLexicalIndex()
    {
        if (_lexical is { } existing) return existing;
        Lock.EnterWriteLock();
        try
        {
            if (_lexical is null)
            {
                var index = new Bm25Index<int>();
                foreach (var row in Rows()) index.AddOrUpdate(row, FullText(_records[row]!));
                _lexical = index;
            }
            return _lexical;
        }
        finally
        {
            Lock.ExitWriteLock();
        }
    }

    public void Dispose()
    {
        Lock.Dispose();
        _lexical?.Dispose();
    }

    private TopKHeap ScanRange(int from, int to, VectorColumn column, DistanceKind kind, float[] query, Func<TRecord, bool>? filter, double? threshold, int capacity)
    {
        var heap = new TopKHeap(capacity);
        var scratch = new float[column.Dimensions];
        var higherIsBetter = kind.HigherIsBetter();
        for (var row = from; row < to; row++)
        {
            if (!column.IsPresent(row)) continue;
            if (filter is not null && !filter(_records[row]!)) continue;
            double score = column.Score(row, kind, query, scratch);
            if (threshold is { } t && !kind.PassesThreshold(score, t)) continue;
            var rank = higherIsBetter ? score : -score;
            if (rank < heap.Floor) continue;
            heap.Add(rank, row);
        }
        return heap;
    }

    private IEnumerable<KeyValuePair<string, string?>> FullText(TRecord record)
    {
        foreach (var field in Model.FullTextFields)
        {
            var text = field.Read(record) switch
            {
                null => null,
                string s => s,
                IEnumerable<string> strings => string.Join(' ', strings),
                var other => other.ToString(),
            };
            yield return new KeyValuePair<string, string?>(field.Name, text);
        }
    }
}
