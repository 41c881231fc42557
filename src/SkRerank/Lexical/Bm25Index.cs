using System.Buffers;

namespace SkRerank.Lexical;

/// <summary>
/// An in-memory inverted index that scores documents against a query with Okapi BM25.
/// </summary>
/// <remarks>
/// <para>
/// For a query term t in field f, with N the number of documents that have a non-empty f, n(t) the number of those
/// containing t, tf the occurrences of t in the document's f, dl the document's term count in f and avgdl the mean of
/// dl over the N documents:
/// <c>idf(t) = ln(1 + (N - n(t) + 0.5) / (n(t) + 0.5))</c> and
/// <c>score = Σ_t idf(t) · tf · (k1 + 1) / (tf + k1 · (1 - b + b · dl / avgdl))</c>, as Lucene 4.8's BM25Similarity
/// computes it but with exact document lengths. Each distinct query term counts once. Scored over all fields, the
/// per-field scores are added, each times its <see cref="Bm25Options.FieldWeights">weight</see>.
/// </para>
/// <para>
/// Reads (search, score, analyze) run concurrently; writes (add, update, remove) are exclusive. Text is analyzed
/// before the write lock is taken so that slow analysis does not block readers.
/// </para>
/// </remarks>
/// <typeparam name="TKey">The document key type.</typeparam>
internal sealed class Bm25Index<TKey> : IDisposable where TKey : notnull
{
    /// <summary>The field that <see cref="AddOrUpdate(TKey, string?)"/> indexes a single text under.</summary>
    public const string DefaultField = "text";

    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.NoRecursion);
    private readonly TextAnalyzer _analyzer;
    private readonly Dictionary<TKey, int> _ids;
    private readonly Dictionary<string, FieldIndex> _fields = new(StringComparer.Ordinal);
    private readonly Stack<int> _freeIds = new();
    private Document?[] _documents = new Document?[16];
    private int _nextId;

    /// <summary>Creates an empty index.</summary>
    /// <param name="options">BM25 parameters; the defaults when <see langword="null"/>.</param>
    /// <param name="analyzer">Tokenizes documents and queries; <see cref="TextAnalyzer.English"/> when <see langword="null"/>.</param>
    /// <param name="keyComparer">Compares keys; the default comparer when <see langword="null"/>.</param>
    public Bm25Index(Bm25Options? options = null, TextAnalyzer? analyzer = null, IEqualityComparer<TKey>? keyComparer = null)
    {
        Options = options ?? new Bm25Options();
        Options.Validate();
        _analyzer = analyzer ?? TextAnalyzer.English;
        _ids = new Dictionary<TKey, int>(keyComparer);
    }

    /// <summary>The BM25 parameters.</summary>
    public Bm25Options Options { get; }

    /// <summary>The number of indexed documents.</summary>
    public int Count
    {
        get
        {
            _lock.EnterReadLock();
            try { return _ids.Count; }
            finally { _lock.ExitReadLock(); }
        }
    }

    /// <summary>Returns the index terms of <paramref name="text"/>, as documents and queries are analyzed.</summary>
    public IReadOnlyList<string> Analyze(string? text) => _analyzer.Analyze(text);

    /// <summary>Returns whether a document with <paramref name="key"/> is indexed.</summary>
    public bool Contains(TKey key)
    {
        _lock.EnterReadLock();
        try { return _ids.ContainsKey(key); }
        finally { _lock.ExitReadLock(); }
    }

    /// <summary>Indexes <paramref name="text"/> under <see cref="DefaultField"/>, replacing any document with the same key.</summary>
    public void AddOrUpdate(TKey key, string? text) => AddOrUpdate(key, [new KeyValuePair<string, string?>(DefaultField, text)]);

    /// <summary>Indexes a document of several fields, replacing any document with the same key.</summary>
    /// <param name="key">The document key.</param>
    /// <param name="fields">Field name and text pairs; null or blank texts leave the field empty.</param>
    public void AddOrUpdate(TKey key, IEnumerable<KeyValuePair<string, string?>> fields)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(fields);

        var analyzed = new List<FieldTerms>();
        foreach (var (field, text) in fields)
        {
            ArgumentNullException.ThrowIfNull(field);
            var terms = _analyzer.Analyze(text);
            if (terms.Count == 0) continue;
            var frequencies = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var term in terms) frequencies[term] = frequencies.GetValueOrDefault(term) + 1;
            analyzed.Add(new FieldTerms(field, terms.Count, frequencies));
        }

        _lock.EnterWriteLock();
        try
        {
            if (_ids.TryGetValue(key, out var id))
            {
                Unindex(id);
            }
            else
            {
                id = _freeIds.Count > 0 ? _freeIds.Pop() : _nextId++;
                if (id >= _documents.Length) Array.Resize(ref _documents, Math.Max(id + 1, _documents.Length * 2));
                _ids[key] = id;
            }

            _documents[id] = new Document(key, analyzed);
            foreach (var fieldTerms in analyzed)
            {
                if (!_fields.TryGetValue(fieldTerms.Field, out var fieldIndex))
                {
                    fieldIndex = new FieldIndex();
                    _fields[fieldTerms.Field] = fieldIndex;
                }
                fieldIndex.Add(id, fieldTerms);
            }
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>Removes the document with <paramref name="key"/>; returns whether it was indexed.</summary>
    public bool Remove(TKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        _lock.EnterWriteLock();
        try
        {
            if (!_ids.Remove(key, out var id)) return false;
            Unindex(id);
            _documents[id] = null;
            _freeIds.Push(id);
            return true;
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>
    /// Returns the <paramref name="top"/> best-scoring documents that contain at least one query term, best first
    /// (equal scores in indexing order).
    /// </summary>
    /// <param name="query">The query text, analyzed like the documents.</param>
    /// <param name="top">How many documents to return at most.</param>
    /// <param name="field">Scores only this field; all fields, weighted, when <see langword="null"/>.</param>
    /// <param name="filter">Keeps only documents whose key passes; evaluated only on matching documents.</param>
    public IReadOnlyList<LexicalMatch<TKey>> Search(string query, int top, string? field = null, Func<TKey, bool>? filter = null)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(top, 1);
        var terms = DistinctTerms(query);

        _lock.EnterReadLock();
        double[]? scores = null;
        try
        {
            if (terms.Count == 0 || _ids.Count == 0) return [];
            scores = ArrayPool<double>.Shared.Rent(_nextId);
            Array.Clear(scores, 0, _nextId);
            var touched = new List<int>();
            foreach (var (fieldIndex, weight) in FieldsToScore(field))
            {
                foreach (var term in terms)
                {
                    if (!fieldIndex.Postings.TryGetValue(term, out var postings)) continue;
                    var idf = Idf(fieldIndex.DocumentCount, postings.Count);
                    foreach (var (id, tf) in postings)
                    {
                        if (scores[id] == 0) touched.Add(id);
                        scores[id] += weight * TermScore(idf, tf, fieldIndex.Lengths[id], fieldIndex.AverageLength);
                    }
                }
            }

            var heap = new TopKHeap(Math.Min(top, touched.Count));
            foreach (var id in touched)
            {
                if (scores[id] <= 0) continue;
                if (filter is not null && !filter(_documents[id]!.Key)) continue;
                heap.Add(scores[id], id);
            }

            return heap.ToSortedArray().Select(e => new LexicalMatch<TKey>(_documents[e.Id]!.Key, e.Score)).ToArray();
        }
        finally
        {
            _lock.ExitReadLock();
            if (scores is not null) ArrayPool<double>.Shared.Return(scores);
        }
    }

    /// <summary>
    /// Scores <paramref name="query"/> against just the given documents, e.g. the candidates a reranker sees. The
    /// statistics (N, n(t), avgdl) are still those of the whole index, so scores equal <see cref="Search"/>'s.
    /// </summary>
    /// <param name="query">The query text.</param>
    /// <param name="keys">The documents to score.</param>
    /// <param name="field">Scores only this field; all fields, weighted, when <see langword="null"/>.</param>
    /// <returns>One match per key, in the order of <paramref name="keys"/>; 0 for keys that are not indexed or do not match.</returns>
    public IReadOnlyList<LexicalMatch<TKey>> Score(string query, IEnumerable<TKey> keys, string? field = null)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(keys);
        var terms = DistinctTerms(query);
        var keyList = keys as IReadOnlyList<TKey> ?? keys.ToList();
        var result = new LexicalMatch<TKey>[keyList.Count];

        _lock.EnterReadLock();
        try
        {
            var fields = FieldsToScore(field).ToList();
            for (var i = 0; i < keyList.Count; i++)
            {
                var key = keyList[i];
                double score = 0;
                if (_ids.TryGetValue(key, out var id))
                {
                    foreach (var (fieldIndex, weight) in fields)
                    {
                        foreach (var term in terms)
                        {
                            if (fieldIndex.Postings.TryGetValue(term, out var postings) && postings.TryGetValue(id, out var tf))
                                score += weight * TermScore(Idf(fieldIndex.DocumentCount, postings.Count), tf, fieldIndex.Lengths[id], fieldIndex.AverageLength);
                        }
                    }
                }
                result[i] = new LexicalMatch<TKey>(key, score);
            }
            return result;
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>
    /// Scores <paramref name="query"/> against a text that is not in the index, with the index's statistics for
    /// <see cref="DefaultField"/> (N, n(t), avgdl) as they are: the index is not changed, so a score does not depend on
    /// which texts were scored before.
    /// </summary>
    /// <param name="query">The query text.</param>
    /// <param name="text">The document text.</param>
    /// <returns>The text's BM25 score.</returns>
    public double ScoreText(string query, string text)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(text);
        var terms = DistinctTerms(query);
        var frequencies = new Dictionary<string, int>(StringComparer.Ordinal);
        var documentTerms = _analyzer.Analyze(text);
        foreach (var term in documentTerms) frequencies[term] = frequencies.GetValueOrDefault(term) + 1;
        if (documentTerms.Count == 0) return 0;

        _lock.EnterReadLock();
        try
        {
            _fields.TryGetValue(DefaultField, out var fieldIndex);
            var documentCount = fieldIndex?.DocumentCount ?? 0;
            var averageLength = documentCount > 0 ? fieldIndex!.AverageLength : documentTerms.Count;
            double score = 0;
            foreach (var term in terms)
            {
                if (!frequencies.TryGetValue(term, out var tf)) continue;
                var documentFrequency = fieldIndex is not null && fieldIndex.Postings.TryGetValue(term, out var postings) ? postings.Count : 0;
                score += TermScore(Idf(documentCount, documentFrequency), tf, documentTerms.Count, averageLength);
            }
            return Options.WeightOf(DefaultField) * score;
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>Releases the lock. The analyzer is not disposed: it may be shared.</summary>
    public void Dispose() => _lock.Dispose();

    private List<string> DistinctTerms(string query)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var terms = new List<string>();
        foreach (var term in _analyzer.Analyze(query))
        {
            if (seen.Add(term)) terms.Add(term);
        }
        return terms;
    }

    private IEnumerable<(FieldIndex Index, double Weight)> FieldsToScore(string? field)
    {
        if (field is not null)
        {
            if (_fields.TryGetValue(field, out var only)) yield return (only, 1.0);
            yield break;
        }
        foreach (var (name, index) in _fields)
        {
            var weight = Options.WeightOf(name);
            if (weight > 0) yield return (index, weight);
        }
    }

    private static double Idf(int documentCount, int documentFrequency) => InverseDocumentFrequency.Bm25(documentCount, documentFrequency);

    private double TermScore(double idf, int tf, int length, double averageLength)
    {
        var norm = Options.K1 * (1 - Options.B + Options.B * length / averageLength);
        return idf * tf * (Options.K1 + 1) / (tf + norm);
    }

    private void Unindex(int id)
    {
        if (_documents[id] is not { } document) return;
        foreach (var fieldTerms in document.Fields) _fields[fieldTerms.Field].Remove(id, fieldTerms);
    }

    private sealed record FieldTerms(string Field, int Length, Dictionary<string, int> Frequencies);

    private sealed record Document(TKey Key, List<FieldTerms> Fields);

    /// <summary>Postings and length statistics of one field.</summary>
    private sealed class FieldIndex
    {
        public Dictionary<string, Dictionary<int, int>> Postings { get; } = new(StringComparer.Ordinal);

        public int[] Lengths { get; private set; } = new int[16];

        public int DocumentCount { get; private set; }

        public double AverageLength => DocumentCount == 0 ? 0 : (double)_totalLength / DocumentCount;

        private long _totalLength;

        public void Add(int id, FieldTerms terms)
        {
            if (id >= Lengths.Length)
            {
                var lengths = Lengths;
                Array.Resize(ref lengths, Math.Max(id + 1, lengths.Length * 2));
                Lengths = lengths;
            }
            Lengths[id] = terms.Length;
            _totalLength += terms.Length;
            DocumentCount++;
            foreach (var (term, tf) in terms.Frequencies)
            {
                if (!Postings.TryGetValue(term, out var postings))
                {
                    postings = [];
                    Postings[term] = postings;
                }
                postings[id] = tf;
            }
        }

        public void Remove(int id, FieldTerms terms)
        {
            Lengths[id] = 0;
            _totalLength -= terms.Length;
            DocumentCount--;
            foreach (var term in terms.Frequencies.Keys)
            {
                var postings = Postings[term];
                postings.Remove(id);
                if (postings.Count == 0) Postings.Remove(term);
            }
        }
    }
}
