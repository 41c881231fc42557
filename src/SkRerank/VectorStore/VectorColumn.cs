using System.Numerics.Tensors;

namespace SkRerank.VectorStore;

/// <summary>
/// The vectors of one vector property, stored row by row in contiguous float blocks so that a search is a linear pass
/// over memory. Rows are allocated by the owning <see cref="CollectionStorage{TKey, TRecord}"/> and shared by all of
/// its columns. Blocks are fixed-size and never move, so growing the column copies nothing.
/// </summary>
/// <remarks>
/// Vectors are stored exactly as upserted (so reads return them bit for bit) next to their inverse norms, which
/// turns cosine scoring into a dot product and one multiply. The layout is private to this class: a quantized
/// (int8/float16) column would change <see cref="Set"/>, <see cref="CopyRow"/> and <see cref="Score"/> only.
/// Not thread-safe: the storage's lock guards it.
/// </remarks>
internal sealed class VectorColumn
{
    // About 4 MiB per block: large enough for long sequential reads, small enough to add without a large copy.
    private const int TargetBlockFloats = 1 << 20;

    private readonly int _blockShift;
    private readonly int _rowMask;
    private float[][] _blocks = [];
    private float[] _inverseNorms = [];
    private bool[] _present = [];

    public VectorColumn(int dimensions)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimensions, 1);
        Dimensions = dimensions;
        // A power-of-two row count per block makes the row → block split a shift and a mask.
        var rowsPerBlock = Math.Max(1, TargetBlockFloats / dimensions);
        _blockShift = 31 - int.LeadingZeroCount(rowsPerBlock);
        _rowMask = (1 << _blockShift) - 1;
    }

    public int Dimensions { get; }

    public int RowsPerBlock => 1 << _blockShift;

    public bool IsPresent(int row) => row < _present.Length && _present[row];

    public void Set(int row, ReadOnlySpan<float> vector)
    {
        EnsureRow(row);
        vector.CopyTo(RowSpan(row));
        var norm = TensorPrimitives.Norm(vector);
        _inverseNorms[row] = norm > 0 ? 1f / norm : 0f;
        _present[row] = true;
    }

    public void Clear(int row)
    {
        if (row < _present.Length) _present[row] = false;
    }

    public float[] CopyRow(int row) => RowSpan(row).ToArray();

    /// <summary>Scores the vector of a present row against a prepared query (see <see cref="DistanceKinds.PrepareQuery"/>).</summary>
    public float Score(int row, DistanceKind kind, ReadOnlySpan<float> preparedQuery, Span<float> scratch) =>
        kind.Score(preparedQuery, RowSpan(row), _inverseNorms[row], scratch);

    private Span<float> RowSpan(int row) =>
        _blocks[row >> _blockShift].AsSpan((row & _rowMask) * Dimensions, Dimensions);

    private void EnsureRow(int row)
    {
        var block = row >> _blockShift;
        if (block >= _blocks.Length)
        {
            var blocks = _blocks;
            Array.Resize(ref blocks, Math.Max(block + 1, blocks.Length * 2));
            _blocks = blocks;
        }
        // Uninitialized: every row is written by Set before it is marked present.
        _blocks[block] ??= GC.AllocateUninitializedArray<float>(RowsPerBlock * Dimensions);

        if (row >= _present.Length)
        {
            var size = Math.Max(row + 1, Math.Max(16, _present.Length * 2));
            Array.Resize(ref _present, size);
            Array.Resize(ref _inverseNorms, size);
        }
    }
}
