"""Demo households of the Mekong Delta: Đồng Tháp, Vĩnh Long, Cần Thơ, An Giang, Cà Mau (2025 provinces)."""

from datetime import date as d

from marketplace.demo.seeds import HouseholdSeed as H
from marketplace.demo.seeds import ListingSeed as L
from marketplace.demo.seeds import ocop, organic, vietgap

MEKONG = [
    H(
        "Vườn xoài cát Hòa Lộc Út Hiền", "Nguyễn Thị Hiền", "0911000001", 82, 28360, "Ấp Hòa Lợi, số 112",
        "Ba thế hệ nhà chị Út trồng xoài cát Hòa Lộc bên bờ sông Tiền. Vườn 2 héc-ta bón phân hữu cơ, bao trái từng "
        "quả để vỏ vàng đẹp. Xoài hái đủ già rồi mới gửi bưu điện, về tới nhà chín thơm.",
        (
            L("Xoài cát Hòa Lộc loại 1", "trai-cay", "kg", 95_000, 1_080, 180,
              "Quả 450–600 g, thịt vàng, dẻo, ngọt đậm, hột mỏng. Hái xanh già, để 2–3 ngày là chín.", 2, 6),
            L("Thùng xoài cát Hòa Lộc 5 kg", "trai-cay", "hop", 450_000, 5_400, 40,
              "Thùng carton có lót xốp, 9–11 quả đều cỡ. Hợp làm quà biếu.", 1, 6),
            L("Xoài cát Hòa Lộc vụ chính 2027 (đặt trước)", "trai-cay", "kg", 85_000, 1_080, 600,
              "Đặt trước xoài vụ chính tháng 4–6/2027, giá giữ nguyên từ lúc đặt. Giao ngay khi thu hoạch.", 3, 6,
              (d(2027, 4, 15), d(2027, 6, 15))),
            L("Xoài cát Hòa Lộc sấy dẻo", "mat-ong-dac-san", "goi", 75_000, 280, 120,
              "Gói 250 g, sấy lạnh không đường, giữ vị chua ngọt tự nhiên của xoài.", 1, 180),
            L("Mít Thái ruột vàng", "trai-cay", "kg", 32_000, 1_050, 0,
              "Múi dày, giòn, ngọt. Tạm hết hàng, vườn đang chờ lứa mới.", 3, 4, None, True),
        ),
        (vietgap("VietGAP-TT-13-02-82-0047", d(2027, 10, 31)), ocop(4, "OCOP-82-2024-0156", d(2028, 3, 15))),
    ),
    H(
        "Vườn xoài cát chu chú Sáu Lợi", "Trần Văn Lợi", "0918237461", 82, 29869, "Khóm Mỹ Phú, đường Phạm Hữu Lầu",
        "Chú Sáu trồng xoài cát chu ở Cao Lãnh hơn 30 năm. Xoài cát chu quả nhỏ, vỏ mỏng, vị chua ngọt hài hòa, "
        "được nhiều gia đình miền Tây chuộng để ăn chín lẫn ăn sống.",
        (
            L("Xoài cát chu Cao Lãnh loại 1", "trai-cay", "kg", 48_000, 1_080, 250,
              "Quả 300–400 g, chín cây, thơm. Giá theo ký, giao nguyên quả.", 2, 6),
            L("Xoài keo xanh ăn sống", "trai-cay", "kg", 28_000, 1_060, 150,
              "Xoài keo giòn, chua nhẹ, chấm muối tôm hay nước mắm đường đều ngon.", 2, 7),
            L("Xoài cát chu vụ Tết 2027 (đặt trước)", "trai-cay", "kg", 52_000, 1_080, 400,
              "Xoài xử lý ra hoa nghịch vụ, thu hoạch đúng dịp Tết Đinh Mùi.", 3, 6,
              (d(2027, 1, 10), d(2027, 2, 5))),
            L("Nước cốt xoài nguyên chất", "ocop-qua-tang", "chai", 45_000, 620, 60,
              "Chai 500 ml, ép từ xoài chín, thanh trùng, không chất bảo quản. Giữ lạnh sau khi mở.", 2, 30),
        ),
        (vietgap("VietGAP-TT-11-04-82-0213", d(2027, 6, 30)),),
    ),
    H(
        "Đầm sen Tháp Mười cô Bảy Thắm", "Lê Thị Thắm", "0939412058", 82, 30037, "Ấp 3, kênh Nguyễn Văn Tiếp",
        "Gia đình cô Bảy có 5 héc-ta đầm sen giữa Đồng Tháp Mười. Hạt sen được tách tay, sấy ngay trong ngày để "
        "giữ độ bùi; tim sen phơi nắng làm trà.",
        (
            L("Hạt sen Tháp Mười sấy khô", "hat-dau", "goi", 95_000, 530, 200,
              "Gói 500 g, hạt đã bỏ tim, nấu chè, hầm canh hay nấu cháo đều bở, bùi.", 1, 365),
            L("Trà tim sen", "ca-phe-tra", "hop", 60_000, 150, 120,
              "Hộp 100 g tim sen phơi khô, pha uống giúp dễ ngủ, thanh nhiệt.", 1, 365),
            L("Trà lá sen túi lọc", "ca-phe-tra", "hop", 55_000, 180, 90,
              "Hộp 25 túi lọc, lá sen non sao vàng, vị thơm nhẹ.", 1, 365),
            L("Ngó sen tươi", "rau-cu", "kg", 70_000, 1_100, 40,
              "Ngó sen trắng giòn, hái sáng gửi chiều, hợp làm gỏi, xào tỏi.", 1, 3),
        ),
        (ocop(3, "OCOP-82-2023-0091", d(2026, 6, 30)),),
    ),
    H(
        "Vườn quýt hồng Lai Vung Tư Nghĩa", "Phạm Văn Nghĩa", "0977302714", 82, 30226, "Ấp Tân Thuận, số 45",
        "Quýt hồng Lai Vung nhà anh Tư chín đỏ vào dịp Tết, vỏ mỏng, ngọt thanh. Vườn dùng thiên địch kiến vàng thay "
        "thuốc trừ sâu.",
        (
            L("Quýt hồng Lai Vung", "trai-cay", "kg", 55_000, 1_080, 160,
              "Quả đỏ cam, vỏ mỏng dễ lột, múi mọng nước. Quả 180–250 g.", 2, 14),
            L("Quýt hồng Tết 2027 còn lá (đặt trước)", "trai-cay", "kg", 75_000, 1_150, 300,
              "Cắt nguyên cành lá để chưng Tết, thu hoạch tháng Chạp năm Đinh Mùi.", 3, 14,
              (d(2027, 12, 10), d(2027, 12, 31))),
            L("Quýt đường Lai Vung", "trai-cay", "kg", 35_000, 1_080, 200,
              "Quýt đường vỏ xanh vàng, ngọt lịm, ép nước hay ăn tươi.", 2, 14),
        ),
        (vietgap("VietGAP-TT-15-01-82-0388", d(2027, 12, 31)),),
    ),
    H(
        "Vườn bưởi Năm Roi Mỹ Hòa", "Võ Thị Ngọc Hân", "0906118273", 86, 29771, "Ấp Mỹ Phước, Mỹ Hòa",
        "Bưởi Năm Roi trồng trên đất phù sa ven sông Hậu, nổi tiếng ráo nước, không hạt. Gia đình chị Hân đạt "
        "VietGAP từ năm 2018 và xuất bưởi đi nhiều tỉnh.",
        (
            L("Bưởi Năm Roi loại 1", "trai-cay", "qua", 60_000, 1_600, 220,
              "Quả 1,3–1,6 kg, vỏ mỏng, múi ráo, ngọt pha chua nhẹ, hầu như không hạt.", 2, 25),
            L("Bưởi Năm Roi theo ký", "trai-cay", "kg", 38_000, 1_050, 300,
              "Quả loại 2 cỡ nhỏ hơn, chất lượng như loại 1, giao nguyên quả.", 3, 25),
            L("Hộp quà 2 bưởi Năm Roi", "ocop-qua-tang", "hop", 150_000, 3_400, 50,
              "Hai quả đẹp nhất vườn, đựng hộp giấy có quai xách.", 1, 25),
            L("Mứt vỏ bưởi sấy dẻo", "mat-ong-dac-san", "hu", 65_000, 380, 80,
              "Hũ 300 g, vỏ bưởi ngâm khử đắng, sên đường phèn, dẻo thơm.", 1, 120),
        ),
        (vietgap("VietGAP-TT-09-03-86-0112", d(2028, 2, 28)), ocop(4, "OCOP-86-2025-0040", d(2028, 8, 31))),
    ),
    H(
        "Vườn bưởi da xanh Giồng Trôm Hai Tâm", "Nguyễn Văn Tâm", "0345216789", 86, 28984, "Ấp 5, Lương Quới",
        "Anh Hai Tâm chăm 800 gốc bưởi da xanh theo hướng hữu cơ, tưới bằng nước giếng khoan, bón phân chuồng ủ "
        "hoai. Bưởi da xanh ruột hồng, ráo nước, vị ngọt thanh.",
        (
            L("Bưởi da xanh ruột hồng", "trai-cay", "qua", 85_000, 1_900, 180,
              "Quả 1,5–1,8 kg, vỏ xanh, múi hồng, tép giòn, không đắng.", 1, 25),
            L("Bưởi da xanh theo ký", "trai-cay", "kg", 55_000, 1_050, 250,
              "Bưởi da xanh VietGAP, giao nguyên quả, cân đủ ký.", 3, 25),
            L("Kẹo dừa sầu riêng Bến Tre", "ocop-qua-tang", "hop", 38_000, 260, 150,
              "Hộp 200 g, kẹo dừa nấu từ nước cốt dừa và cơm sầu riêng.", 2, 180),
            L("Bưởi da xanh vụ Tết 2027 (đặt trước)", "trai-cay", "qua", 95_000, 1_900, 200,
              "Đặt trước bưởi chưng Tết, chọn quả tròn đều, giao trong tháng Chạp.", 2, 25,
              (d(2027, 12, 1), d(2027, 12, 31))),
        ),
        (vietgap("VietGAP-TT-12-07-86-0231", d(2027, 9, 30)),),
    ),
    H(
        "Vườn dừa sáp Cầu Kè Thạch Sa Rết", "Thạch Sa Rết", "0947583120", 86, 29308, "Ấp Ô Tưng A",
        "Dừa sáp là đặc sản hiếm của Cầu Kè: cơm dày, dẻo như sáp, nước sền sệt. Gia đình ông Sa Rết là người Khmer, "
        "giữ giống dừa sáp từ đời ông nội.",
        (
            L("Dừa sáp Cầu Kè", "trai-cay", "qua", 160_000, 1_400, 60,
              "Dừa sáp đã gọt vỏ xanh, bọc màng, cơm dày 1–2 cm. Ăn với đường, sữa hoặc đá bào.", 1, 10),
            L("Dừa xiêm xanh uống nước", "trai-cay", "qua", 18_000, 1_600, 300,
              "Dừa xiêm nước ngọt, gọt sẵn chóp, đặt tối thiểu 6 quả.", 6, 10),
            L("Mật hoa dừa", "mat-ong-dac-san", "chai", 95_000, 420, 70,
              "Chai 250 ml, nấu từ nhựa hoa dừa, chỉ số đường huyết thấp, thay đường trong pha chế.", 1, 365),
        ),
        (ocop(3, "OCOP-86-2024-0177", d(2027, 11, 30)),),
    ),
    H(
        "Vườn sầu riêng Cái Mơn Ba Phúc", "Huỳnh Văn Phúc", "0903557812", 86, 28870, "Ấp Phú Hòa, Vĩnh Thành",
        "Cái Mơn là cái nôi của sầu riêng miền Tây. Vườn nhà chú Ba có những gốc sầu riêng hạt lép trên 40 năm tuổi "
        "cùng măng cụt, chôm chôm xen canh.",
        (
            L("Sầu riêng Ri6 Cái Mơn", "trai-cay", "kg", 85_000, 1_050, 150,
              "Trái 2,5–4 kg, cơm vàng, ráo, béo. Giá theo ký, giao nguyên trái, có cắt kiểm tra khi cần.", 3, 4),
            L("Sầu riêng hạt lép Cái Mơn", "trai-cay", "kg", 125_000, 1_050, 60,
              "Giống hạt lép cổ, cơm dày, hạt nhỏ lép, vị ngọt đậm, thơm nồng.", 3, 4),
            L("Sầu riêng Ri6 vụ 2027 (đặt trước)", "trai-cay", "kg", 80_000, 1_050, 800,
              "Đặt trước vụ chính 2027, trái chín cây rụng, giao hỏa tốc.", 3, 4, (d(2027, 5, 1), d(2027, 7, 15))),
            L("Măng cụt Chợ Lách", "trai-cay", "kg", 65_000, 1_080, 120,
              "Măng cụt vỏ mỏng, múi trắng, chua ngọt. Quả 80–120 g.", 2, 7),
            L("Chôm chôm Java", "trai-cay", "kg", 30_000, 1_080, 200,
              "Chôm chôm tróc, cơm giòn, ngọt. Cắt nguyên chùm.", 2, 5),
        ),
        (vietgap("VietGAP-TT-14-11-86-0065", d(2028, 1, 31)),),
    ),
    H(
        "Hợp tác xã lúa gạo ST Trần Đề", "Lâm Văn Sang", "0919640335", 92, 31673, "Ấp Đầu Giồng",
        "Hợp tác xã của 42 hộ trồng lúa ST24, ST25 luân canh với nuôi tôm trên đất Sóc Trăng cũ. Ruộng lúa – tôm "
        "không dùng thuốc trừ cỏ, gạo xay mới mỗi tuần.",
        (
            L("Gạo ST25 túi 5 kg", "gao-ngu-coc", "tui", 210_000, 5_050, 400,
              "Gạo ST25 vụ mới, hạt dài, cơm dẻo, thơm lá dứa, để nguội vẫn mềm.", 1, 365),
            L("Gạo ST25 lúa tôm hữu cơ túi 2 kg", "gao-ngu-coc", "tui", 110_000, 2_030, 250,
              "Trồng trên ruộng nuôi tôm, không phân thuốc hóa học, hút chân không.", 1, 365),
            L("Gạo lứt ST25 túi 1 kg", "gao-ngu-coc", "tui", 65_000, 1_030, 180,
              "Gạo lứt đỏ còn cám, giàu chất xơ, nấu nồi cơm điện ngâm 2 giờ.", 1, 300),
            L("Gạo ST24 túi 5 kg", "gao-ngu-coc", "tui", 185_000, 5_050, 300,
              "Hạt thon dài, cơm mềm, thơm nhẹ, giá mềm hơn ST25.", 1, 365),
            L("Tấm ST25", "gao-ngu-coc", "kg", 26_000, 1_020, 200,
              "Tấm gạo ST25 để nấu cơm tấm, cháo, bột. Túi 1 kg.", 2, 365),
        ),
        (organic("TCVN11041-2024-0318", d(2027, 8, 31)), ocop(4, "OCOP-92-2024-0022", d(2028, 6, 30))),
    ),
    H(
        "Ruộng hành tím Vĩnh Châu chị Sà Quy", "Sơn Thị Sà Quy", "0385731946", 92, 31783, "Khóm Biển Trên",
        "Đất giồng cát ven biển Vĩnh Châu cho củ hành tím chắc, thơm, để lâu không mọc mầm. Chị Sà Quy trồng hành, "
        "củ kiệu luân phiên và tự làm hành phi.",
        (
            L("Hành tím Vĩnh Châu khô", "gia-vi", "kg", 55_000, 1_030, 300,
              "Củ đều, vỏ tím khô, thơm cay. Để nơi thoáng giữ được 3 tháng.", 1, 90),
            L("Hành phi Vĩnh Châu", "gia-vi", "hu", 55_000, 290, 120,
              "Hũ 200 g, phi bằng dầu mới, giòn vàng, không chất tạo màu.", 1, 120),
            L("Củ kiệu muối chua ngọt", "gia-vi", "hu", 65_000, 680, 0,
              "Hũ 500 g, kiệu Vĩnh Châu muối theo kiểu Tết. Hết hàng, mùa sau có lại.", 1, 60, None, True),
        ),
        (vietgap("VietGAP-TT-06-02-92-0057", d(2027, 5, 31)),),
    ),
    H(
        "Vườn khóm Cầu Đúc Hỏa Lựu", "Trịnh Văn Lộc", "0914022587", 92, 31338, "Ấp Thạnh Hưng",
        "Khóm Cầu Đúc mọc trên đất phèn Hậu Giang cũ, quả nhỏ, mắt lồi, thịt vàng, ngọt thanh ít xơ. Nhà anh Lộc có "
        "3 héc-ta khóm và một lò sấy nhỏ.",
        (
            L("Khóm Cầu Đúc", "trai-cay", "qua", 18_000, 1_300, 400,
              "Quả 1–1,2 kg, gọt sẵn vỏ khi khách yêu cầu. Đặt tối thiểu 3 quả.", 3, 7),
            L("Khóm sấy dẻo Cầu Đúc", "mat-ong-dac-san", "goi", 55_000, 230, 150,
              "Gói 200 g, sấy dẻo ít đường, vị chua ngọt tự nhiên.", 1, 180),
            L("Dâu Hạ Châu", "trai-cay", "kg", 45_000, 1_080, 90,
              "Dâu da vàng, cơm trắng, chua ngọt, hái nguyên chùm trong vườn nhà.", 2, 5),
        ),
        (ocop(3, "OCOP-92-2025-0108", d(2028, 4, 30)),),
    ),
    H(
        "Nhà thùng nước mắm Phú Quốc Dương Đông", "Trương Minh Khải", "0917468203", 91, 31078, "Khu phố 7",
        "Nhà thùng gỗ bời lời của gia đình anh Khải ủ cá cơm với muối đủ 12 tháng. Nước mắm rút đầu, màu cánh gián, "
        "đạm cao, thơm dịu.",
        (
            L("Nước mắm cá cơm 40 độ đạm", "gia-vi", "chai", 125_000, 880, 300,
              "Chai thủy tinh 500 ml, nước mắm nhĩ rút đầu, có tem chỉ dẫn địa lý Phú Quốc.", 1, 730),
            L("Nước mắm nhĩ 43 độ đạm", "gia-vi", "chai", 165_000, 880, 150,
              "Chai 500 ml, đạm cao, dùng chấm trực tiếp. Gói chống va đập khi gửi.", 1, 730),
            L("Nước mắm cá cơm 35 độ đạm chai 1 lít", "gia-vi", "chai", 140_000, 1_450, 200,
              "Dùng nêm nấu hằng ngày, vị mặn dịu, hậu ngọt.", 1, 730),
            L("Tiêu sọ Phú Quốc", "gia-vi", "hu", 95_000, 260, 100,
              "Hũ 200 g tiêu sọ trắng, hạt chắc, cay thơm.", 1, 540),
        ),
        (ocop(5, "OCOP-91-2023-0003", d(2027, 12, 31)),),
    ),
    H(
        "Cơ sở đường thốt nốt Chau Sóc Khem", "Chau Sóc Khem", "0369214578", 91, 30544, "Ấp Phước Long",
        "Gia đình ông Sóc Khem leo thốt nốt lấy nước từ lúc tờ mờ sáng, nấu đường bằng chảo gang theo cách của "
        "người Khmer vùng Bảy Núi. Đường thơm mùi khói, ngọt dịu.",
        (
            L("Đường thốt nốt nguyên chất", "mat-ong-dac-san", "kg", 85_000, 1_060, 200,
              "Đường dạng viên, nấu từ nước thốt nốt tươi, không pha đường cát.", 1, 365),
            L("Đường thốt nốt dạng bánh", "mat-ong-dac-san", "goi", 48_000, 540, 150,
              "Gói 500 g bánh đường gói lá thốt nốt, hợp nấu chè, kho cá.", 1, 365),
            L("Khô cá lóc đồng Châu Đốc", "thuy-hai-san-kho", "goi", 220_000, 530, 80,
              "Gói 500 g cá lóc đồng phơi một nắng, ít mặn, nướng hay chiên đều ngon.", 1, 90),
            L("Mắm thái Châu Đốc", "thuy-hai-san-kho", "hu", 95_000, 620, 60,
              "Hũ 500 g mắm cá lóc xắt sợi trộn đu đủ, thính. Giữ ngăn mát.", 1, 30),
        ),
        (ocop(4, "OCOP-91-2024-0066", d(2028, 5, 31)),),
    ),
    H(
        "Vựa tôm khô Năm Căn Út Nhỏ", "Đặng Thị Nhỏ", "0945302156", 96, 32191, "Khóm 2, bến Năm Căn",
        "Gia đình chị Út Nhỏ làm tôm khô từ tôm đất rừng đước Năm Căn, luộc nước dừa, phơi nắng tự nhiên, không phẩm "
        "màu. Mỗi mẻ chỉ vài chục ký nên tôm luôn mới.",
        (
            L("Tôm khô Năm Căn loại 1", "thuy-hai-san-kho", "goi", 850_000, 560, 120,
              "Gói 500 g, tôm đất to đều, đỏ tự nhiên, ngọt, ăn liền với củ kiệu.", 1, 180),
            L("Tôm khô size nhỏ nấu canh", "thuy-hai-san-kho", "goi", 290_000, 280, 150,
              "Gói 250 g tôm nhỏ, dùng nấu canh, rang, làm gỏi.", 1, 180),
            L("Ba khía muối Rạch Gốc", "thuy-hai-san-kho", "hu", 120_000, 700, 60,
              "Hũ 500 g, ba khía muối sẵn, bóp chua ngọt là ăn được. Giữ ngăn mát.", 1, 45),
            L("Mật ong rừng tràm U Minh", "mat-ong-dac-san", "chai", 230_000, 780, 90,
              "Chai 500 ml, mật gác kèo ong rừng tràm, vị ngọt sắc, thơm mùi tràm.", 1, 730),
        ),
        (ocop(4, "OCOP-96-2024-0012", d(2027, 7, 31)),),
    ),
]
