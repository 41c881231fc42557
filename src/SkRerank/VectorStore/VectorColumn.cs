using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

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
    /// <summary>How many rows <see cref="ScoreBatch"/> scores together at most.</summary>
    public const int BatchSize = 8;

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

    /// <summary>
    /// Scores up to <see cref="BatchSize"/> present rows against a prepared query, writing one score per row.
    /// </summary>
    /// <remarks>
    /// For the dot-product family (cosine, dot product and their negations), scattered rows (a filtered scan) are
    /// read side by side, eight independent streams at once: one vector at a time leaves the memory system idle while
    /// each 1.5 KB read starts, eight at a time keep several reads in flight (measured on 1M × 384-d, 1 row in 10:
    /// about 3.2× the sequential-bandwidth bound one at a time, about 2.1× eight at a time). Adjacent rows (an
    /// unfiltered scan) are read one after another, a single forward stream (measured: 1.2–1.4× against 1.4–1.9× for
    /// <c>TensorPrimitives.Dot</c> per row). Each row's sum is accumulated in the same order either way, so a row
    /// scores bit for bit the same in every scan.
    /// </remarks>
    public void ScoreBatch(ReadOnlySpan<int> rows, DistanceKind kind, ReadOnlySpan<float> preparedQuery, Span<float> scores, Span<float> scratch)
    {
        switch (kind)
        {
            case DistanceKind.CosineSimilarity:
                DotBatch(rows, preparedQuery, scores);
                for (var i = 0; i < rows.Length; i++) scores[i] *= _inverseNorms[rows[i]];
                break;
            case DistanceKind.CosineDistance:
                DotBatch(rows, preparedQuery, scores);
                for (var i = 0; i < rows.Length; i++) scores[i] = 1f - scores[i] * _inverseNorms[rows[i]];
                break;
            case DistanceKind.DotProductSimilarity:
                DotBatch(rows, preparedQuery, scores);
                break;
            case DistanceKind.NegativeDotProductSimilarity:
                DotBatch(rows, preparedQuery, scores);
                for (var i = 0; i < rows.Length; i++) scores[i] = -scores[i];
                break;
            default:
                for (var i = 0; i < rows.Length; i++) scores[i] = Score(rows[i], kind, preparedQuery, scratch);
                break;
        }
    }

    // Optimized from the first call: a scan calls this once per eight rows, so tiered compilation would otherwise run
    // the first searches in unoptimized code.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void DotBatch(ReadOnlySpan<int> rows, ReadOnlySpan<float> query, Span<float> dots)
    {
        if (query.Length != Dimensions) throw new ArgumentException("The query length differs from the column's dimensions.", nameof(query));
        // Adjacent rows are one contiguous stretch of memory, which the hardware prefetcher streams best when it is
        // read front to back; only scattered rows gain from being read side by side.
        if (rows.Length == BatchSize && rows[^1] - rows[0] != BatchSize - 1)
        {
            Dot8(rows, query, dots);
            return;
        }
        for (var i = 0; i < rows.Length; i++) dots[i] = Dot1(ref RowRef(rows[i]), query);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Dot8(ReadOnlySpan<int> rows, ReadOnlySpan<float> query, Span<float> dots)
    {
        ref var q = ref MemoryMarshal.GetReference(query);
        ref var r0 = ref RowRef(rows[0]);
        ref var r1 = ref RowRef(rows[1]);
        ref var r2 = ref RowRef(rows[2]);
        ref var r3 = ref RowRef(rows[3]);
        ref var r4 = ref RowRef(rows[4]);
        ref var r5 = ref RowRef(rows[5]);
        ref var r6 = ref RowRef(rows[6]);
        ref var r7 = ref RowRef(rows[7]);
        Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default, a6 = default, a7 = default;
        var width = Vector256<float>.Count;
        nuint j = 0;
        for (; (int)j <= Dimensions - width; j += (nuint)width)
        {
            var qv = Vector256.LoadUnsafe(ref q, j);
            a0 = Vector256.MultiplyAddEstimate(Vector256.LoadUnsafe(ref r0, j), qv, a0);
            a1 = Vector256.MultiplyAddEstimate(Vector256.LoadUnsafe(ref r1, j), qv, a1);
            a2 = Vector256.MultiplyAddEstimate(Vector256.LoadUnsafe(ref r2, j), qv, a2);
            a3 = Vector256.MultiplyAddEstimate(Vector256.LoadUnsafe(ref r3, j), qv, a3);
            a4 = Vector256.MultiplyAddEstimate(Vector256.LoadUnsafe(ref r4, j), qv, a4);
            a5 = Vector256.MultiplyAddEstimate(Vector256.LoadUnsafe(ref r5, j), qv, a5);
            a6 = Vector256.MultiplyAddEstimate(Vector256.LoadUnsafe(ref r6, j), qv, a6);
            a7 = Vector256.MultiplyAddEstimate(Vector256.LoadUnsafe(ref r7, j), qv, a7);
        }
        dots[0] = Finish(a0, ref r0, ref q, (int)j);
        dots[1] = Finish(a1, ref r1, ref q, (int)j);
        dots[2] = Finish(a2, ref r2, ref q, (int)j);
        dots[3] = Finish(a3, ref r3, ref q, (int)j);
        dots[4] = Finish(a4, ref r4, ref q, (int)j);
        dots[5] = Finish(a5, ref r5, ref q, (int)j);
        dots[6] = Finish(a6, ref r6, ref q, (int)j);
        dots[7] = Finish(a7, ref r7, ref q, (int)j);
    }

    // The same arithmetic as one lane of Dot8, for the rows left over from whole batches.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private float Dot1(ref float row, ReadOnlySpan<float> query)
    {
        ref var q = ref MemoryMarshal.GetReference(query);
        Vector256<float> acc = default;
        var width = Vector256<float>.Count;
        nuint j = 0;
        for (; (int)j <= Dimensions - width; j += (nuint)width)
            acc = Vector256.MultiplyAddEstimate(Vector256.LoadUnsafe(ref row, j), Vector256.LoadUnsafe(ref q, j), acc);
        return Finish(acc, ref row, ref q, (int)j);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private float Finish(Vector256<float> acc, ref float row, ref float q, int from)
    {
        var sum = Vector256.Sum(acc);
        for (var j = from; j < Dimensions; j++) sum += Unsafe.Add(ref row, j) * Unsafe.Add(ref q, j);
        return sum;
    }

    private ref float RowRef(int row) =>
        ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_blocks[row >> _blockShift]), (row & _rowMask) * Dimensions);

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
