namespace SkRerank.VectorStore;

/// <summary>
/// The payload index of one <c>IsIndexed</c> data property: for every value, the <see cref="PostingList"/> of the
/// rows holding it (for a collection property, the rows whose collection contains it). Null values (and null
/// elements) have a list of their own. Not thread-safe: the storage's lock guards it.
/// </summary>
internal sealed class FieldIndex
{
    // Keys compare with Equals/GetHashCode of the boxed value; see IndexableTypes for why that matches ==.
    private readonly Dictionary<object, PostingList> _postings = [];
    private readonly PostingList _nulls = new();
    // Lists with changes waiting for Commit, and lists that lost rows (dropped at Commit when empty).
    private readonly HashSet<PostingList> _dirty = [];
    private readonly List<(object Key, PostingList Posting)> _shrunk = [];
    // Rows whose collection is null (Contains would throw) or of a type whose Contains might not use default equality.
    private int _irregularRows;

    public FieldIndex(string name, Type propertyType)
    {
        Name = name;
        PropertyType = propertyType;
        ElementType = IndexableTypes.ElementType(propertyType);
        if (ElementType is null && !IndexableTypes.IsScalar(propertyType))
            throw new ArgumentException($"Property '{name}' of type '{propertyType.Name}' cannot be indexed.", nameof(propertyType));
    }

    public string Name { get; }

    /// <summary>The declared property type.</summary>
    public Type PropertyType { get; }

    /// <summary>The element type of a collection property; <see langword="null"/> for a scalar property.</summary>
    public Type? ElementType { get; }

    public bool IsCollection => ElementType is not null;

    /// <summary>
    /// Whether <c>x.P.Contains(v)</c> can be answered here: every stored collection is a non-null array or
    /// <see cref="List{T}"/>. Otherwise the predicate must run (it may throw, or use another equality).
    /// </summary>
    public bool AnswersContains => IsCollection && _irregularRows == 0;

    /// <summary>
    /// The rows whose value (scalar property) or one of whose elements (collection property) equals
    /// <paramref name="key"/> by <see cref="object.Equals(object, object)"/>; <paramref name="key"/> must already be of
    /// the property's (element) type, see <see cref="IndexableTypes.TryNormalize"/>.
    /// </summary>
    public RowSet Lookup(object? key) =>
        key is null ? _nulls.Rows : _postings.TryGetValue(key, out var rows) ? rows.Rows : RowSet.Empty;

    public void Add(int row, object? value)
    {
        if (!IsCollection)
        {
            AddTo(value, row);
            return;
        }
        if (value is null || !IndexableTypes.HasDefaultContains(value, ElementType!)) _irregularRows++;
        if (value is not System.Collections.IEnumerable elements) return;
        foreach (var element in elements) AddTo(element, row);
    }

    public void Remove(int row, object? value)
    {
        if (!IsCollection)
        {
            RemoveFrom(value, row);
            return;
        }
        if (value is null || !IndexableTypes.HasDefaultContains(value, ElementType!)) _irregularRows--;
        if (value is not System.Collections.IEnumerable elements) return;
        foreach (var element in elements) RemoveFrom(element, row);
    }

    /// <summary>Applies the changes of a write batch; drops values no row holds any more.</summary>
    public void Commit()
    {
        foreach (var posting in _dirty) posting.Commit();
        _dirty.Clear();
        foreach (var (key, posting) in _shrunk)
        {
            if (posting.Count == 0 && _postings.TryGetValue(key, out var current) && ReferenceEquals(current, posting)) _postings.Remove(key);
        }
        _shrunk.Clear();
    }

    private void AddTo(object? value, int row)
    {
        PostingList posting;
        if (value is null) posting = _nulls;
        else if (!_postings.TryGetValue(value, out posting!))
        {
            posting = new PostingList();
            _postings[value] = posting;
        }
        // A list with pending changes is committed once per batch however many of its rows changed.
        if (posting.Add(row)) _dirty.Add(posting);
    }

    private void RemoveFrom(object? value, int row)
    {
        if (value is null)
        {
            if (_nulls.Remove(row)) _dirty.Add(_nulls);
            return;
        }
        if (!_postings.TryGetValue(value, out var posting)) return;
        if (posting.Remove(row)) _dirty.Add(posting);
        _shrunk.Add((value, posting));
    }
}
