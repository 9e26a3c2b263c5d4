package io.vectormemory.qdrant.store;

import io.qdrant.client.grpc.Points.DenseVector;
import io.qdrant.client.grpc.Points.SearchPoints;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;

class PackedFloatsTest {
    private static final float[] VECTOR = {0.5f, -1.25f, 0f, Float.MIN_VALUE, 3.4028235e38f, -0.0f};

    @Test
    void denseVectorHoldsTheSameFloatsAsTheBuilderWould() {
        DenseVector packed = PackedFloats.denseVector(VECTOR);
        DenseVector.Builder reference = DenseVector.newBuilder();
        for (float f : VECTOR) {
            reference.addData(f);
        }
        assertThat(packed, is(reference.build()));
        assertThat(packed.getDataList(), contains(0.5f, -1.25f, 0f, Float.MIN_VALUE, 3.4028235e38f, -0.0f));
    }

    @Test
    void searchVectorIsSetAndOtherFieldsKept() {
        SearchPoints search = PackedFloats.withVector(SearchPoints.newBuilder().setCollectionName("c").setLimit(5),
                VECTOR).build();
        assertThat(search.getCollectionName(), is("c"));
        assertThat(search.getLimit(), is(5L));
        assertThat(search.getVectorCount(), is(VECTOR.length));
        assertThat(search.getVector(1), is(-1.25f));
    }

    @Test
    void searchVectorReplacesOneSetBefore() {
        SearchPoints search = PackedFloats.withVector(SearchPoints.newBuilder().addVector(9f).addVector(8f),
                new float[]{1f, 2f, 3f}).build();
        assertThat(search.getVectorList(), contains(1f, 2f, 3f));
    }

    @Test
    void eachListIsItsOwn() {
        // the lists start as copies of one shared empty list: filling one must not show in another
        DenseVector first = PackedFloats.denseVector(new float[]{1f, 2f});
        DenseVector second = PackedFloats.denseVector(new float[]{3f});
        assertThat(first.getDataList(), contains(1f, 2f));
        assertThat(second.getDataList(), contains(3f));
        assertThat(DenseVector.getDefaultInstance().getDataList(), is(empty()));
    }

    @Test
    void emptyVector() {
        assertThat(PackedFloats.denseVector(new float[0]).getDataList(), is(empty()));
        assertThat(PackedFloats.withVector(SearchPoints.newBuilder(), new float[0]).getVectorList(),
                is(List.of()));
    }
}
