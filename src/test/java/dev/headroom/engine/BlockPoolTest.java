package dev.headroom.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BlockPoolTest {

    private static final EngineConfig CONFIG = new EngineConfig(9, 2, 4, 64, 16, true, true, 0, 4096);

    private static RequestState holder() {
        return new RequestState(new EngineRequest("h", new int[] {1}, 15, 15, true), 0, null, 0, CONFIG);
    }

    @Test
    void nullBlockIsReservedAndUsageExcludesIt() {
        BlockPool pool = new BlockPool(9, true);
        assertThat(pool.numFreeBlocks()).isEqualTo(8);
        assertThat(pool.usage()).isZero();
        RequestState r = holder();
        pool.allocateInto(r, 8);
        assertThat(pool.usage()).isEqualTo(1.0);
        for (int i = 0; i < 8; i++) assertThat(r.block(i)).isEqualTo(i + 1);
        assertThatThrownBy(() -> pool.allocateInto(holder(), 1)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void freedBlocksStayCachedUntilEvictedFromTheQueueHead() {
        BlockPool pool = new BlockPool(9, true);
        RequestState a = holder();
        pool.allocateInto(a, 2);
        pool.cacheFullBlock(a.block(0), 111L);
        pool.cacheFullBlock(a.block(1), 222L);
        pool.free(a.block(1));
        pool.free(a.block(0));
        assertThat(pool.numFreeBlocks()).isEqualTo(8);
        assertThat(pool.cachedBlock(111L)).isEqualTo(1);
        // Blocks 3..8 are older in the queue; taking 6 leaves the cached ones intact, the 7th evicts block 2 first.
        RequestState b = holder();
        pool.allocateInto(b, 6);
        assertThat(pool.cachedBlock(222L)).isEqualTo(2);
        pool.allocateInto(b, 1);
        assertThat(pool.cachedBlock(222L)).isEqualTo(-1);
        assertThat(pool.cachedBlock(111L)).isEqualTo(1);
    }

    @Test
    void touchTakesAnIdleCachedBlockOutOfTheFreeQueue() {
        BlockPool pool = new BlockPool(9, true);
        RequestState a = holder();
        pool.allocateInto(a, 1);
        pool.cacheFullBlock(1, 7L);
        pool.free(1);
        assertThat(pool.numFreeBlocks()).isEqualTo(8);
        pool.touch(1);
        assertThat(pool.numFreeBlocks()).isEqualTo(7);
        assertThat(pool.refCnt(1)).isEqualTo(1);
        pool.touch(1);
        assertThat(pool.refCnt(1)).isEqualTo(2);
        pool.free(1);
        pool.free(1);
        assertThatThrownBy(() -> pool.free(1)).hasMessageContaining("freed twice");
    }
}
